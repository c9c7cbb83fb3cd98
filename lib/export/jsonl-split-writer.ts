import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import type { SplitWriter } from "./split-writer";
import type { SplitRow } from "./split-rows";

/** One JSON object per line, keys in a fixed order, "\n" line ends: the same rows give the same bytes. */
export class JsonlSplitWriter implements SplitWriter {
  private readonly stream: WriteStream;
  private rows = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: "wx" });
  }

  async write(rows: readonly SplitRow[]): Promise<void> {
    if (rows.length === 0) return;
    let chunk = "";
    for (const row of rows) chunk += `${JSON.stringify(row)}\n`;
    this.rows += rows.length;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<number> {
    this.stream.end();
    await once(this.stream, "close");
    return this.rows;
  }

  async discard(): Promise<void> {
    if (this.stream.closed) return;
    const closed = once(this.stream, "close").catch(() => undefined);
    this.stream.destroy();
    await closed;
  }
}
