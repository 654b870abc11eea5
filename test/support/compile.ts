/**
 * The public /compile endpoint as the specs call it: the browser's form (or JSON), the opt-in
 * backend header, and the contract's answer.
 */
import type * as http from 'http';
import type { CompileResponse } from '../../src/frontend/playground/contract';
import { request, Reply } from './http';

export type { CompileResponse } from '../../src/frontend/playground/contract';

/** The contract's /compile keys, in the order play.golang.org sends them. */
export const COMPILE_KEYS = ['Errors', 'Events', 'Status', 'IsTest', 'TestsFailed'];

/** The backend the specs pin with the opt-in header, so routing never changes what is tested. */
export const LINUX_AMD64 = 'linux-amd64';

export interface CompileOptions {
  withVet?: boolean;
  /** Send `{"Body", "WithVet"}` as JSON instead of the browser's form. */
  json?: boolean;
  /** The X-Playground-Backend header; `linux-amd64` unless given (null: no header). */
  backend?: string | null;
  path?: '/compile' | '/vet';
}

/** POST /compile the way the browser client does (form, version=2), or as JSON. */
export function postCompile(target: { frontendUrl: string }, source: string, opts: CompileOptions = {}): Promise<Reply> {
  const headers: http.OutgoingHttpHeaders = {};
  const backend = opts.backend === undefined ? LINUX_AMD64 : opts.backend;
  if (backend !== null) headers['X-Playground-Backend'] = backend;
  let body: string;
  if (opts.json) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ Body: source, WithVet: opts.withVet ?? false });
  } else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ version: '2', body: source, withVet: String(opts.withVet ?? false) }).toString();
  }
  return request(`${target.frontendUrl}${opts.path ?? '/compile'}`, { method: 'POST', body, headers });
}

/** POST /compile and expect a 200 contract answer. */
export async function compile(target: { frontendUrl: string }, source: string, opts: CompileOptions = {}): Promise<CompileResponse> {
  const r = await postCompile(target, source, opts);
  if (r.status !== 200) throw new Error(`/compile answered ${r.status}: ${r.text.slice(0, 500)}`);
  return r.json<CompileResponse>();
}

/** Everything the program wrote, both streams, in playback order. */
export function output(r: Pick<CompileResponse, 'Events'>): string {
  return (r.Events ?? []).map((e) => e.Message).join('');
}
