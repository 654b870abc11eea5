import { Settings } from '../config/settings';

/**
 * The frontend's side of the hop to the sandbox backend: its address, and the shared secret
 * (SANDBOX_TOKEN) every request presents. The secret travels only in this header.
 */
export class SandboxEndpoint {
  readonly url: string;
  private readonly token: string;

  constructor(settings: Settings) {
    this.url = settings.get('SANDBOX_URL').replace(/\/$/, '');
    this.token = settings.get('SANDBOX_TOKEN');
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('Authorization', `Bearer ${this.token}`);
    return fetch(`${this.url}${path}`, { ...init, headers });
  }
}
