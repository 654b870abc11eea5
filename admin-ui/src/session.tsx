import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from './types';

export interface Session {
  me: Me;
  canChange: boolean;
  /** Why change controls are disabled ('' for a release manager). */
  why: string;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in app');
  return s;
}

export const VIEWER_NOTE_ID = 'viewer-note';

/**
 * Props for every control that changes something: disabled for a viewer, with the reason
 * reachable by hover (title) and by screen readers (aria-describedby to the banner).
 * data-change marks them so tests can find every one.
 */
export function useChangeControl(busy = false): Record<string, unknown> {
  const s = useSession();
  if (s.canChange) return { 'data-change': '', disabled: busy };
  return { 'data-change': '', disabled: true, title: s.why, 'aria-describedby': VIEWER_NOTE_ID };
}
