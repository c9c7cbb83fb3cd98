import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { inlineParameters } from "./inline-parameters";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * The fields of the single row `text` returns, as PostgreSQL's binary send format gives them (null for SQL NULL),
 * read through COPY … TO STDOUT (FORMAT binary): a bytea of tens of MiB arrives as its own bytes instead of twice as
 * many hex digits that node-postgres turns into a string and back (bench/RESULTS.md, the map's payload).
 */
export async function copyBinaryRow(client: pg.PoolClient, text: string, values: readonly unknown[]): Promise<(Buffer | null)[]> {
  const chunks: Buffer[] = [];
  const stream = client.query(copyTo(`COPY (${inlineParameters(text, values)}) TO STDOUT (FORMAT binary)`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return firstRow(Buffer.concat(chunks));
}

/** Parses the first tuple of a binary COPY stream (signature, flags, header extension, tuples, trailer). */
export function firstRow(copy: Buffer): (Buffer | null)[] {
  if (copy.length < 19 || !copy.subarray(0, 11).equals(SIGNATURE)) throw new Error("the COPY answer is not in PostgreSQL's binary format");
  let at = 15 + 4 + copy.readUInt32BE(15);
  const fieldCount = copy.readInt16BE(at);
  if (fieldCount < 0) throw new Error("the COPY answer holds no row");
  at += 2;
  const fields: (Buffer | null)[] = [];
  for (let i = 0; i < fieldCount; i++) {
    const length = copy.readInt32BE(at);
    at += 4;
    if (length < 0) {
      fields.push(null);
      continue;
    }
    if (at + length > copy.length) throw new Error("the COPY answer is truncated");
    fields.push(copy.subarray(at, at + length));
    at += length;
  }
  return fields;
}
