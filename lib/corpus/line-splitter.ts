const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

export type SplitLine =
  | { line: number; bytes: Buffer }
  /** The line grew past the cap; its bytes were dropped while counting on to its end. */
  | { line: number; oversizeBytes: number };

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line,
 * so a file of any size, or a single runaway line, keeps memory flat. Lines are numbered
 * from 1; the trailing \r of CRLF and a leading UTF-8 BOM are removed.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<SplitLine> {
  let pieces: Buffer[] = [];
  let pendingBytes = 0;
  let oversize = false;
  let line = 1;

  const take = (piece: Buffer): void => {
    pendingBytes += piece.length;
    if (oversize) return;
    if (pendingBytes > maxLineBytes) {
      oversize = true;
      pieces = [];
    } else if (piece.length > 0) {
      pieces.push(piece);
    }
  };

  const finish = (): SplitLine => {
    const done: SplitLine = oversize
      ? { line, oversizeBytes: pendingBytes }
      : { line, bytes: withoutLineEnd(pieces.length === 1 && pieces[0] ? pieces[0] : Buffer.concat(pieces), line) };
    pieces = [];
    pendingBytes = 0;
    oversize = false;
    line += 1;
    return done;
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) {
        if (start < chunk.length) take(chunk.subarray(start));
        break;
      }
      take(chunk.subarray(start, end));
      yield finish();
      start = end + 1;
    }
  }
  if (pendingBytes > 0) yield finish();
}

function withoutLineEnd(bytes: Buffer, line: number): Buffer {
  let start = 0;
  let end = bytes.length;
  if (line === 1 && end >= 3 && UTF8_BOM.every((b, i) => bytes[i] === b)) start = 3;
  if (end > start && bytes[end - 1] === CARRIAGE_RETURN) end -= 1;
  return bytes.subarray(start, end);
}
