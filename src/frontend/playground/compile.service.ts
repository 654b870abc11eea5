import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'crypto';
import { Settings } from '../../platform/config/settings';
import { AnswerCache, answerCache } from '../cache/answer-cache';
import { parseTxtar } from '../builder/txtar';
import { detectProgramKind } from '../builder/program-kind';
import { rootPackageNames } from '../builder/package-name';
import { TIMEOUT_ERROR } from '../../contract/run-result';
import { ExecutionBackend } from '../backends/execution-backend';
import { CompileResponse } from './contract';
import { errorResponse, toResponse } from './to-response';

export interface Compiled {
  response: CompileResponse;
  cached: boolean;
  buildMs: number;
  runMs: number;
}

/** The request's way for one backend: (cache) → build → run → decode. */
@Injectable()
export class CompileService implements OnApplicationShutdown {
  /** This frontend's memory, or memcached shared by every frontend (CACHE_URL). */
  readonly cache: AnswerCache;

  constructor(settings: Settings) {
    this.cache = answerCache(settings.get('CACHE_URL'), settings.get('CACHE_MAX_BYTES'));
  }

  onApplicationShutdown(): void {
    this.cache.close();
  }

  cacheKey(backend: ExecutionBackend, body: string, withVet: boolean): string {
    const h = createHash('sha256').update(body).digest('hex');
    return `${backend.id}|${backend.toolchainVersion()}|vet=${withVet}|${h}`;
  }

  /** Throws BadProgramError (a 400) for an archive that breaks the naming rules. */
  async compile(backend: ExecutionBackend, body: string, withVet: boolean, useCache = true, priority: 'primary' | 'shadow' = 'primary'): Promise<Compiled> {
    // Only well-formed programs are ever cached, so a hit needs no parsing at all.
    const key = this.cacheKey(backend, body, withVet);
    const hit = useCache ? await this.cache.get(key) : undefined;
    if (hit) return { response: hit, cached: true, buildMs: 0, runMs: 0 };

    const files = parseTxtar(body).files;
    const { isTest } = detectProgramKind(files);
    const { cacheable, ...compiled } = await this.buildAndRun(backend, files, isTest, withVet, priority === 'shadow');
    if (useCache && cacheable) this.cache.set(key, compiled.response);
    return { ...compiled, cached: false };
  }

  /**
   * The deprecated /vet: vet only, its findings in Errors (build errors too), nothing run.
   * Not cached: it is rare, and vet output is cheap to recompute.
   */
  async vetOnly(backend: ExecutionBackend, body: string): Promise<CompileResponse> {
    const files = parseTxtar(body).files;
    const { isTest } = detectProgramKind(files);
    const build = await backend.build({ files, isTest, vet: true });
    if (!build.ok) return errorResponse(build.errors);
    return errorResponse(build.vetErrors ?? '');
  }

  /**
   * `cacheable` is false for an answer that depends on the moment rather than the program: a
   * build or run stopped at its time limit (a busy machine gets there sooner), a module proxy
   * that failed. Failures of the sandboxes themselves throw and are never answers at all.
   */
  private async buildAndRun(backend: ExecutionBackend, files: Map<string, string>, isTest: boolean, withVet: boolean, lowPriority: boolean) {
    if ([...rootPackageNames(files)].some((p) => p !== 'main')) {
      return { response: errorResponse('package name must be main'), buildMs: 0, runMs: 0, cacheable: true };
    }
    const build = await backend.build({ files, isTest, vet: withVet, lowPriority });
    if (!build.ok) return { response: errorResponse(build.errors), buildMs: build.buildMs, runMs: 0, cacheable: !build.timedOut && !build.transient };
    const began = Date.now();
    const run = await backend.run(build.binary, isTest ? ['-test.v'] : []);
    const cacheable = !build.transient && !run.timedOut && run.error !== TIMEOUT_ERROR;
    return { response: toResponse(run, isTest, build), buildMs: build.buildMs, runMs: Date.now() - began, cacheable };
  }
}
