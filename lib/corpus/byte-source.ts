import { createReadStream } from "node:fs";
import type { ReadableSource } from "./records";

/**
 * One shape for the three ways bytes arrive. Web streams are read through their reader
 * rather than async iteration because the DOM typings in use do not declare it.
 */
export async function* bytesOf(source: ReadableSource): AsyncGenerator<Buffer> {
  if (typeof source === "string") {
    yield* chunksOf(createReadStream(source));
    return;
  }
  if (source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* chunksOf(source);
  }
}

async function* chunksOf(stream: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    // A Readable with setEncoding() or built from strings yields strings.
    if (typeof chunk === "string") yield Buffer.from(chunk, "utf8");
    else if (chunk instanceof Uint8Array) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new TypeError(`expected a byte stream, got a chunk of type ${typeof chunk}`);
  }
}
