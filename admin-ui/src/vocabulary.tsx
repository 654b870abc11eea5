// The server's words and limits (GET /admin/api/vocabulary): stage names, diff classes and their
// meanings, what a percentage and a reason may be. Fetched once, then handed to every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { get } from './api';
import type { StageFlags, Vocabulary } from './types';

let fetched: Promise<Vocabulary> | null = null;

/** The vocabulary, fetched on first use and kept (a failed fetch is tried again next time). */
export function loadVocabulary(): Promise<Vocabulary> {
  fetched ??= get<Vocabulary>('/vocabulary').catch((e: unknown) => {
    fetched = null;
    throw e;
  });
  return fetched;
}

export const VocabularyContext = createContext<Vocabulary | null>(null);

export function useVocabulary(): Vocabulary {
  const v = useContext(VocabularyContext);
  if (!v) throw new Error('useVocabulary before the vocabulary was loaded');
  return v;
}

/** The stage the flags would be at, in the server's words: the first of its rules that matches. */
export function stageOf(v: Vocabulary, flags: StageFlags): string {
  const rule = v.stages.find((r) => Object.entries(r.when).every(([k, want]) => flags[k as keyof StageFlags] === want));
  return (rule?.name ?? '').replace('{rolloutPercent}', String(flags.rolloutPercent));
}

/** A typed percentage, checked against the server's limits with the server's words. */
export function percentOf(v: Vocabulary, text: string, name: string): number {
  const { min, max, step } = v.limits.percent;
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}`);
  const steps = n / step;
  if (Math.abs(Math.round(steps) - steps) > 1e-6) throw new Error(`${name} moves in steps of ${step}`);
  return n;
}

export function meaningOf(v: Vocabulary, diffClass: string): string {
  return v.diffClasses.find((c) => c.name === diffClass)?.meaning ?? '';
}
