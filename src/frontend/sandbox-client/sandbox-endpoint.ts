/**
 * The frontend's side of the hop to one sandbox host: its address, and the shared secret
 * (SANDBOX_TOKEN) every request presents. The secret travels only in this header.
 */
export class SandboxEndpoint {
  readonly url: string;

  constructor(url: string, private readonly token: string) {
    this.url = url.replace(/\/$/, '');
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('Authorization', `Bearer ${this.token}`);
    return fetch(`${this.url}${path}`, { ...init, headers });
  }
}
