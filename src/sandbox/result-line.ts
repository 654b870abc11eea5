/**
 * Finds the supervisor's one result line in the container's stdout: the line that starts with
 * `<nonce> `. The program can write to that stream too (under gVisor, /proc/1/fd/1 of the
 * supervisor is open to it), but it does not know the nonce, and the supervisor writes its line
 * only once every other process in the container is gone. So everything before the marker is
 * the program's and is dropped as it arrives (only a marker's length is kept, in case it
 * straddles two chunks), and only what follows the marker counts against `maxBytes`.
 */
export class ResultLineReader {
  private readonly marker: Buffer;
  /** The last marker-length-minus-one bytes before the marker was seen. */
  private tail = Buffer.alloc(0);
  private found = false;
  private parts: Buffer[] = [];
  private bytes = 0;

  constructor(nonce: string, private readonly maxBytes: number) {
    this.marker = Buffer.from(`${nonce} `);
  }

  /**
   * Takes the next chunk of the stream: the result line's text once it is complete, 'too-large'
   * when it passes maxBytes, or null while it is not complete yet.
   */
  push(chunk: Buffer): string | 'too-large' | null {
    if (!this.found) {
      const start = this.markerEnd(chunk);
      if (start < 0) {
        const keep = this.marker.length - 1;
        this.tail = Buffer.from(chunk.length >= keep ? chunk.subarray(chunk.length - keep) : Buffer.concat([this.tail, chunk]).subarray(-keep));
        return null;
      }
      this.found = true;
      this.tail = Buffer.alloc(0);
      chunk = chunk.subarray(start);
    }
    const nl = chunk.indexOf(0x0a);
    const part = nl < 0 ? chunk : chunk.subarray(0, nl);
    this.bytes += part.length;
    if (this.bytes > this.maxBytes) return 'too-large';
    this.parts.push(Buffer.from(part));
    return nl < 0 ? null : Buffer.concat(this.parts).toString('utf8');
  }

  /** Where in `chunk` the text after the marker begins, or -1 when the marker is not there. */
  private markerEnd(chunk: Buffer): number {
    if (this.tail.length) {
      const straddle = Buffer.concat([this.tail, chunk.subarray(0, this.marker.length - 1)]);
      const at = straddle.indexOf(this.marker);
      if (at >= 0) return at + this.marker.length - this.tail.length;
    }
    const at = chunk.indexOf(this.marker);
    return at < 0 ? -1 : at + this.marker.length;
  }
}
