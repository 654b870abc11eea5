/**
 * The child process of StackProcess (./stack-process.ts): starts a stack as its argument says,
 * reports the stack's addresses over IPC, and stops it when told to or when the parent goes.
 * Run with ./register-ts.js, which emits the decorator metadata Nest needs.
 */
import 'reflect-metadata';
import { startFrontendStack, startStack, Stack } from '../../test/support/stack';
import { STACK_SETTINGS, type StackKind, type StackReady } from './stack-process';

const env = JSON.parse(process.env[STACK_SETTINGS] ?? '{}') as Record<string, string>;
const STARTS: Record<StackKind, () => Promise<Stack>> = {
  frontend: () => startFrontendStack(env),
  full: () => startStack({ env }),
  sandbox: () => startStack({ sandboxOnly: true, env }),
};

const kind = process.argv[2] as StackKind;
if (!(kind in STARTS)) throw new Error(`unknown stack kind "${kind}"`);

STARTS[kind]().then((stack) => {
  const ready: StackReady = { frontendUrl: stack.frontendUrl, sandboxUrl: stack.sandboxUrl, sandboxToken: stack.sandboxToken, sandboxOpsUrl: stack.sandboxOpsUrl, tokens: stack.tokens };
  process.send!(ready);
  const stop = async (): Promise<void> => {
    await stack.stop();
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
}, (e: unknown) => {
  console.error(e);
  process.exit(1);
});
