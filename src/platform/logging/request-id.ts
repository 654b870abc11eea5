import { AsyncLocalStorage } from 'async_hooks';
import { randomUUID } from 'crypto';

/** The header a request id travels in: from a client or proxy, and from the frontend to the sandbox. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** An id we take as it comes: short, and nothing a log line could be forged with. */
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

const current = new AsyncLocalStorage<string>();

/** The incoming id when it is sane (a proxy's, the frontend's), else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE.test(header) ? header : randomUUID();
}

/** Runs `fn` with `id` as the request id of everything it does, awaited or not. */
export function withRequestId<T>(id: string, fn: () => T): T {
  return current.run(id, fn);
}

/** The id of the request this code runs for (undefined outside one: start-up, timers, polls). */
export function currentRequestId(): string | undefined {
  return current.getStore();
}
