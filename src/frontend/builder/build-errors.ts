import * as os from 'node:os';

// "# play", "# play/sub", "# command-line-arguments", and for test builds "# play [play.test]".
const PACKAGE_BANNER = /^# \S+(?: \[\S+\])?\r?(?:\n|$(?![\s\S]))/gm;

/**
 * Makes go build / go vet output look like play.golang.org's: the per-package banner lines
 * go prints before errors are dropped, and paths into the build directory (or any other
 * per-run temp directory) become relative, e.g. `./prog.go:3:2: ...`. Users must neither see
 * nor cache our directory layout, and identical programs must produce identical errors.
 */
export function cleanBuildOutput(output: string, workDir: string): string {
  let text = output.replace(PACKAGE_BANNER, '');
  const dir = workDir.replace(/\/+$/, '');
  if (dir !== '') {
    // Only a whole path element: /tmp/play-1 must not eat into /tmp/play-10/x.go.
    text = text.replace(new RegExp(escapeRegExp(dir) + String.raw`(?![A-Za-z0-9._-])`, 'g'), '.');
  }
  return withoutTempDirs(text);
}

/**
 * Makes a path into any per-run temp directory (e.g. /tmp/sandbox123/prog.go) relative
 * (./prog.go): builds of one program in different directories then read the same.
 */
export function withoutTempDirs(text: string): string {
  return text.replace(tempDirPattern(), './');
}

function tempDirPattern(): RegExp {
  const roots = new Set(['/tmp', '/var/tmp', os.tmpdir().replace(/\/+$/, '')]);
  const alternatives = [...roots].filter((r) => r !== '').map(escapeRegExp).join('|');
  // The lookbehind keeps "/home/u/tmp/x/" and "./tmp/x/" intact: only absolute temp roots match.
  return new RegExp(String.raw`(?<![\w.~/-])(?:${alternatives})/[^/\s:'"()]+/`, 'g');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
