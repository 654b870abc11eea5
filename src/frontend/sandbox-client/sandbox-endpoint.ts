import { currentRequestId, REQUEST_ID_HEADER } from '../../platform/logging/request-id';

/**
 * The frontend's side of the hop to one sandbox host: its address, and the shared secret
 * (SANDBOX_TOKEN) every request presents. The secret travels only in this header. A call made
 * for a request carries its id, so that the sandbox's log lines of a run name the request.
 */
export class SandboxEndpoint {
  readonly url: string;

  constructor(url: string, private readonly token: string) {
    this.url = url.replace(/\/$/, '');
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('Authorization', `Bearer ${this.token}`);
    const requestId = currentRequestId();
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    return fetch(`${this.url}${path}`, { ...init, headers });
  }
}
