import { Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Immutable module proxy answers (.info, .mod, .zip of a version; checksum database tiles and
 * lookups) kept on disk, so that a popular module is fetched from the upstream proxy once, not
 * once per build. Bounded: past the limit the least recently used go. Every build still checks
 * each module against go.sum and the checksum database, so a cached byte is never trusted more
 * than a fetched one.
 */
export class RelayCache {
  private readonly log = new Logger('module-proxy-cache');
  private readonly entries = new Map<string, { size: number; used: number }>();
  private total = 0;

  constructor(private readonly dir: string, private readonly maxBytes: number) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (name.startsWith('.')) {
        fs.rmSync(file, { force: true }); // a write cut short by a crash
        continue;
      }
      const st = fs.statSync(file);
      this.entries.set(name, { size: st.size, used: st.mtimeMs });
      this.total += st.size;
    }
    this.evict();
  }

  private key(requestPath: string): string {
    return createHash('sha256').update(requestPath).digest('hex');
  }

  /** The cached answer's file, or null. */
  lookup(requestPath: string): string | null {
    const key = this.key(requestPath);
    const e = this.entries.get(key);
    if (!e) return null;
    e.used = Date.now();
    return path.join(this.dir, key);
  }

  /** A writer for one answer: commit() makes it visible, abort() drops it. */
  writer(requestPath: string, limit: number): { write(b: Buffer): boolean; commit(): void; abort(): void } {
    const tmp = path.join(this.dir, `.${randomBytes(8).toString('hex')}`);
    const fd = fs.openSync(tmp, 'w', 0o600);
    let size = 0;
    let open = true;
    const close = (): void => {
      if (open) fs.closeSync(fd);
      open = false;
    };
    return {
      write: (b) => {
        size += b.length;
        if (!open || size > limit) return false;
        fs.writeSync(fd, b);
        return true;
      },
      commit: () => {
        if (!open || size > limit) return this.drop(tmp, close);
        close();
        const key = this.key(requestPath);
        fs.renameSync(tmp, path.join(this.dir, key));
        const old = this.entries.get(key);
        this.total += size - (old?.size ?? 0);
        this.entries.set(key, { size, used: Date.now() });
        this.evict();
      },
      abort: () => this.drop(tmp, close),
    };
  }

  private drop(tmp: string, close: () => void): void {
    close();
    fs.rmSync(tmp, { force: true });
  }

  private evict(): void {
    if (this.total <= this.maxBytes) return;
    const oldest = [...this.entries].sort((a, b) => a[1].used - b[1].used);
    for (const [key, e] of oldest) {
      if (this.total <= this.maxBytes * 0.9) break;
      fs.rmSync(path.join(this.dir, key), { force: true });
      this.entries.delete(key);
      this.total -= e.size;
    }
    this.log.log(`module proxy cache trimmed to ${Math.round(this.total / 1048576)} MB`);
  }
}
