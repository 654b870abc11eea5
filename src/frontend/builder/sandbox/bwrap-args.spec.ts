import { bwrapArgs } from './bwrap-args';

describe('bubblewrap command line', () => {
  const args = bwrapArgs({
    mounts: [{ host: '/usr/local/go', inside: '/goroot' }, { host: '/tmp/play-1/src', inside: '/play', writable: true }],
    env: { PATH: '/goroot/bin', GOFLAGS: '-mod=mod -buildvcs=false' },
    cwd: '/play',
    tmpfsBytes: 512 << 20,
    seccompFd: 3,
    statusFd: 4,
    command: ['/sandbox/build-helper', 'run', '--', '/goroot/bin/go', 'build', '.'],
  });

  it('starts every namespace afresh', () => {
    expect(args.slice(0, 2)).toEqual(['--unshare-all', '--unshare-user']);
    expect(args).not.toContain('--share-net');
  });

  it('mounts only what it is given, read-only unless asked', () => {
    const mounts = args.flatMap((a, i) => (a === '--bind' || a === '--ro-bind' ? [[a, args[i + 1], args[i + 2]]] : []));
    expect(mounts).toEqual([['--ro-bind', '/usr/local/go', '/goroot'], ['--bind', '/tmp/play-1/src', '/play']]);
  });

  it('clears the environment before setting its own, and ends with the command', () => {
    expect(args.indexOf('--clearenv')).toBeLessThan(args.indexOf('--setenv'));
    expect(args.slice(args.indexOf('--setenv'), args.indexOf('--setenv') + 3)).toEqual(['--setenv', 'PATH', '/goroot/bin']);
    expect(args.slice(args.indexOf('--') + 1)).toEqual(['/sandbox/build-helper', 'run', '--', '/goroot/bin/go', 'build', '.']);
    expect(args[args.indexOf('--seccomp') + 1]).toBe('3');
    expect(args[args.indexOf('--json-status-fd') + 1]).toBe('4');
  });

  it('makes the root read-only after the mounts', () => {
    expect(args.lastIndexOf('--bind')).toBeLessThan(args.indexOf('--remount-ro'));
  });
});
