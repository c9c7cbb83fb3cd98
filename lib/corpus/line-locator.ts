import { Transform } from "node:stream";

const NEWLINE = 0x0a;

/**
 * Maps byte offsets of a stream to 1-based line numbers. csv-parse reports record end
 * offsets exactly but miscounts lines when a quoted field holds a CRLF, so the lines are
 * counted here, on the very bytes the parser receives. Only chunks past the last looked-up
 * offset are kept, so memory stays bounded by the parser's input buffer.
 */
export class LineLocator {
  private readonly unread: { start: number; bytes: Buffer }[] = [];
  private observed = 0;
  private cursorOffset = 0;
  private cursorLine = 1;

  /** A pass-through to put just before the parser; decoded text is re-encoded as UTF-8, as the parser would. */
  tap(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.unread.push({ start: this.observed, bytes: chunk });
        this.observed += chunk.length;
        done(null, chunk);
      },
    });
  }

  /** The furthest offset looked up so far. */
  get lastOffset(): number {
    return this.cursorOffset;
  }

  /** The line holding the byte at `offset`. Look-ups must not go backwards; one that does gets the current line. */
  lineAt(offset: number): number {
    while (this.cursorOffset < offset) {
      const head = this.unread[0];
      if (head === undefined) break;
      const headEnd = head.start + head.bytes.length;
      const stop = Math.min(offset, headEnd);
      let at = head.bytes.indexOf(NEWLINE, this.cursorOffset - head.start);
      while (at >= 0 && head.start + at < stop) {
        this.cursorLine += 1;
        at = head.bytes.indexOf(NEWLINE, at + 1);
      }
      this.cursorOffset = stop;
      if (stop === headEnd) this.unread.shift();
    }
    return this.cursorLine;
  }
}
