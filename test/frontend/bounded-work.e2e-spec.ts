/**
 * Work a stranger can ask for without limit must not crowd out the programs: GET /_ah/health is
 * public and unauthenticated, and each one used to be a go build in the shared build queue.
 * Here the queue is tiny (one build at a time, two waiting), as it is in effect under a flood.
 * Real stack: Go toolchain, Docker + runsc, SQLite.
 */
import { randomBytes } from 'crypto';
import type { Stack } from '../support/stack';
import { startFrontendStack } from '../support/stack';
import { request } from '../support/http';
import { compile, output } from '../support/compile';

let stack: Stack;

beforeAll(async () => {
  stack = await startFrontendStack({ BUILD_CONCURRENCY: '1', BUILD_QUEUE_LIMIT: '2' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('GET /_ah/health', () => {
  it('a flood of 40 at once shares one health build: every answer is "ok" and a program still builds and runs', async () => {
    const health = Promise.all(Array.from({ length: 40 }, () => request(`${stack.frontendUrl}/_ah/health`)));
    const nonce = randomBytes(6).toString('hex');
    const program = compile(stack, `package main\n\nfunc main() { println("past the flood ${nonce}") }\n`);
    const answers = await health;
    expect(answers.map((r) => `${r.status} ${r.text}`)).toEqual(Array(40).fill('200 ok'));
    expect(output(await program)).toBe(`past the flood ${nonce}\n`);
  }, 120_000);
});
