// Buffered stdout: strings are encoded straight into one reusable buffer and written 256 KiB at a
// time, instead of one write (or one join) per packet. A closed pipe (`| head`) ends the program
// quietly, as it does for tcpdump. Backpressure: once the stream's own buffer is full, ready()
// says so, and the reader of the capture waits for it before producing more (a stalled reader of
// `decode | ...` keeps our memory flat instead of queueing the whole output).
const SIZE = 256 * 1024;

export class Output {
  private buf = Buffer.allocUnsafe(SIZE);
  private pos = 0;
  private closed = false;
  /** The stream refused more (write() returned false) and has not drained yet. */
  private blocked = false;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') {
        this.closed = true;
        process.exit(0);
      }
      throw e;
    });
    stream.on('drain', () => {
      this.blocked = false;
    });
  }

  write(s: string): void {
    if (this.closed) return;
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.pos + s.length * 3 > SIZE) {
      this.flush();
      if (s.length * 3 > SIZE) {
        if (!this.stream.write(s)) this.blocked = true;
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  flush(): void {
    if (this.pos === 0 || this.closed) return;
    // The stream may keep the chunk (pipes, slow consumers): hand it over and start a fresh buffer.
    if (!this.stream.write(this.buf.subarray(0, this.pos))) this.blocked = true;
    this.buf = Buffer.allocUnsafe(SIZE);
    this.pos = 0;
  }

  /** null when the stream takes more now; else a promise that settles once it has drained. */
  ready(): Promise<void> | null {
    if (!this.blocked || this.closed) return null;
    return new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Flush and wait until the stream has taken everything. */
  async end(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve) => {
      if (this.stream.write('')) resolve();
      else this.stream.once('drain', () => resolve());
    });
  }
}
