import type { CsvEncoding } from "./records";

export type CsvCharset = "utf-8" | "gb18030";

// Enough text to contain Chinese characters in any real file, small enough to hold in memory.
const SNIFF_BYTES = 64 * 1024;

export interface DecidedEncoding {
  charset: CsvCharset;
  /** The same bytes as the input, the sniffed head included. */
  chunks: AsyncIterable<Buffer>;
}

/**
 * Resolves "auto": Chinese CSVs from Excel or older Windows tools are GBK/GB18030, others
 * UTF-8. Bytes that decode as UTF-8 are almost never meaningful GB18030, so UTF-8 wins
 * whenever the head decodes cleanly.
 */
export async function decideEncoding(chunks: AsyncIterable<Buffer>, requested: CsvEncoding): Promise<DecidedEncoding> {
  if (requested !== "auto") return { charset: requested, chunks };
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let exhausted = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const charset = isUtf8(Buffer.concat(head)) ? "utf-8" : "gb18030";
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { charset, chunks: replay() };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    // stream: true so a character cut at the end of the sniffed head is not taken for an error.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
