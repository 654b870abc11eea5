/**
 * A module proxy in a folder, for GOPROXY=file://… (the layout of the GOPROXY protocol): specs
 * fetch third-party modules through the service's relay without any network, and an empty one
 * answers every module as missing, which is how the public proxy answers (404/410).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { crc32 } from 'zlib';

export interface FakeModule {
  path: string;
  version: string;
  /** File name (relative to the module root) to content. */
  files: Record<string, string>;
}

/** A zip archive with stored (uncompressed) entries: all a module zip needs. */
function zip(entries: Array<[string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += local.length + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** Makes a proxy folder holding `modules` (none: an empty proxy); returns its file:// URL and folder. */
export function fileModuleProxy(modules: FakeModule[] = []): { url: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-fakeproxy-'));
  for (const m of modules) {
    const at = path.join(dir, m.path, '@v');
    fs.mkdirSync(at, { recursive: true });
    const gomod = m.files['go.mod'] ?? `module ${m.path}\n`;
    fs.writeFileSync(path.join(at, 'list'), `${m.version}\n`);
    fs.writeFileSync(path.join(at, `${m.version}.info`), JSON.stringify({ Version: m.version, Time: '2024-01-01T00:00:00Z' }));
    fs.writeFileSync(path.join(at, `${m.version}.mod`), gomod);
    const entries: Array<[string, Buffer]> = Object.entries({ ...m.files, 'go.mod': gomod }).map(([n, d]) => [`${m.path}@${m.version}/${n}`, Buffer.from(d)]);
    fs.writeFileSync(path.join(at, `${m.version}.zip`), zip(entries));
  }
  fs.chmodSync(dir, 0o755);
  return { url: `file://${dir}`, dir };
}
