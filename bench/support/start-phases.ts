/**
 * The start of one sandbox taken apart, outside the service, with the service's own pieces:
 * through Docker (create, attach, start, then the program, then removal) and by runsc run
 * directly (until the supervisor's ready line, then the program, then until runsc has ended and
 * cleaned up).
 */
import Docker from 'dockerode';
import { Duplex, Writable } from 'stream';
import { sandboxContainerSpec, SandboxLimits } from '../../src/sandbox/container-spec';
import { RunscEngine } from '../../src/sandbox/runsc-engine';
import { SupervisorChannel, maxResultBytes } from '../../src/sandbox/supervisor-channel';
import { msSince } from './stats';

export type Phases = Record<string, number>;

async function timed<T>(phases: Phases, name: string, step: () => Promise<T>): Promise<T> {
  const began = process.hrtime.bigint();
  const value = await step();
  phases[name] = msSince(began);
  return value;
}

export async function dockerPhases(docker: Docker, image: string, runtime: string, limits: SandboxLimits, binary: Buffer, name: string): Promise<Phases> {
  const p: Phases = {};
  const container = await timed(p, 'docker create', () => docker.createContainer(sandboxContainerSpec({ image, runtime, name, pool: 'bench', limits })));
  const stream = (await timed(p, 'attach', () => container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true }))) as unknown as Duplex;
  const channel = new SupervisorChannel(maxResultBytes(limits));
  docker.modem.demuxStream(stream, new Writable({ write: (c: Buffer, _e, done) => { channel.onStdout(c); done(); } }), new Writable({ write: (_c, _e, done) => done() }));
  await timed(p, 'docker start (runsc create+start, boot)', () => container.start());
  await new Promise((r) => setTimeout(r, 200)); // the supervisor has surely reached its read
  await timed(p, 'program (send to result line)', async () => {
    for (const part of channel.request(binary, [], [])) stream.write(part);
    await channel.result;
  });
  await timed(p, 'docker rm -f', () => container.remove({ force: true }));
  stream.destroy();
  return p;
}

export async function runscPhases(engine: RunscEngine, binary: Buffer, name: string): Promise<Phases> {
  const p: Phases = {};
  const sandbox = await timed(p, 'runsc run until ready line (boot)', () => engine.launch(name));
  await new Promise((r) => setTimeout(r, 200));
  await timed(p, 'program (send to result line)', async () => {
    sandbox.send(binary, []);
    await sandbox.result;
  });
  await timed(p, 'supervisor end, runsc cleanup', () => sandbox.destroy());
  return p;
}
