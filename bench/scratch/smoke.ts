import 'reflect-metadata';
import * as fs from 'fs';
import { startStack } from '../../test/support/stack';
(async () => {
  const stack = await startStack({ sandboxOnly: true, env: { SANDBOX_ENGINE: process.env.ENGINE ?? 'runsc', SANDBOX_RUNSC_ROOT: '/run/wt14-smoke' } });
  const bin = fs.readFileSync('/tmp/wt14/hello');
  for (let i = 0; i < 5; i++) {
    const t = Date.now();
    const res = await fetch(`${stack.sandboxUrl}/run`, { method: 'POST', body: bin, headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${stack.sandboxToken}` } });
    console.log(res.status, Date.now() - t, (await res.text()).slice(0, 120));
    await new Promise((r) => setTimeout(r, 1500));
  }
  await stack.stop();
  console.log('stopped');
})();
