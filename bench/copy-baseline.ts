import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../lib/db/database";
import { contentHash } from "../lib/corpus/content-hash";
import { detectLanguage } from "../lib/corpus/language";

export interface CopyBaseline {
  rows: number;
  seconds: number;
  /** Part of `seconds` spent hashing and detecting language, work any importer of these rows pays. */
  rowPreparationSeconds: number;
}

const CHUNK_BYTES = 256 * 1024;

/** COPY's text format: backslash escapes for the four characters that would end a field or a row. */
function copyField(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (char) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[char]!)
    : value;
}

interface BenchRow {
  id: string;
  text: string;
  [field: string]: unknown;
}

/**
 * The ceiling an import is measured against: the same JSONL rows, with the same derived columns
 * (content hash, language, length, metadata), streamed by COPY into an identically indexed
 * source_texts table in one transaction. No validation, no deduplication, no progress.
 */
export async function copyBaseline(db: Database, file: string): Promise<CopyBaseline> {
  const client = await db.pool.connect();
  try {
    const corpus = await client.query<{ id: string }>(`INSERT INTO corpora (name) VALUES ('bench-copy') RETURNING id`);
    const corpusId = corpus.rows[0]!.id;
    const created = await client.query<{ id: string }>(
      `INSERT INTO imports (corpus_id, created_by, file_name, format, text_field) VALUES ($1, 'bench', $2, 'jsonl', 'text') RETURNING id`,
      [corpusId, file],
    );
    const importId = created.rows[0]!.id;
    const prefix = `${corpusId}\t${importId}\t\\N\t`;

    let rows = 0;
    let preparation = 0;
    async function* copyRows(): AsyncGenerator<Buffer> {
      let chunk = "";
      for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        if (line === "") continue;
        const { text, ...metadata } = JSON.parse(line) as BenchRow;
        const prepared = performance.now();
        const hash = contentHash(text);
        const language = detectLanguage(text);
        preparation += performance.now() - prepared;
        chunk += `${prefix}${copyField(text)}\t${hash}\t${copyField(JSON.stringify(metadata))}\t${language}\t${text.length}\n`;
        rows++;
        if (chunk.length >= CHUNK_BYTES) {
          yield Buffer.from(chunk);
          chunk = "";
        }
      }
      if (chunk !== "") yield Buffer.from(chunk);
    }

    const started = performance.now();
    await client.query("BEGIN");
    const copy = client.query(
      copyFrom(`COPY source_texts (corpus_id, import_id, external_id, text, content_hash, metadata, language, length) FROM STDIN`),
    );
    await pipeline(Readable.from(copyRows()), copy);
    await client.query("COMMIT");
    return { rows, seconds: (performance.now() - started) / 1000, rowPreparationSeconds: preparation / 1000 };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
