import 'reflect-metadata';
import * as fs from 'fs';
import { startStack } from '../../test/support/stack';
(async () => {
  const stack = await startStack({ sandboxOnly: true, env: { SANDBOX_ENGINE: 'runsc', SANDBOX_RUNSC_ROOT: '/run/wt14-burst' } });
  const bin = fs.readFileSync('/tmp/wt14/hello');
  await new Promise((r) => setTimeout(r, 3000));
  const t = Date.now();
  const rs = await Promise.all(Array.from({ length: 20 }, async () => {
    const res = await fetch(`${stack.sandboxUrl}/run`, { method: 'POST', body: bin, headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${stack.sandboxToken}` } });
    return `${res.status} ${res.status !== 200 ? (await res.text()).slice(0, 300) : ''}`;
  }));
  console.log(Date.now() - t, rs.filter((r) => !r.startsWith('200')));
  await stack.stop();
})();
