import { createReadStream } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSourceTexts } from "./read-source-texts";
import type { ReadOutcome, ReadOptions } from "./records";

let dir: string;
let path: string;

const indexes = Array.from({ length: 25 }, (_, i) => i);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "finemed-parquet-"));
  path = join(dir, "train-00000-of-00001.parquet");
  parquetWriteFile({
    filename: path,
    columnData: [
      { name: "pmid", type: "INT64", data: indexes.map((i) => (i === 24 ? 2n ** 62n : BigInt(30_000_000 + i))) },
      {
        name: "text",
        type: "STRING",
        data: indexes.map((i) => (i === 7 ? null : i === 11 ? "   " : `Abstract ${i}: 二甲双胍 lowers HbA1c.`)),
      },
      { name: "score", type: "DOUBLE", data: indexes.map((i) => i / 4) },
      { name: "published", type: "TIMESTAMP", data: indexes.map((i) => new Date(Date.UTC(2020, 0, i + 1))) },
      { name: "journal", type: "STRING", data: indexes.map((i) => (i % 2 === 0 ? "BMJ" : null)) },
    ],
    // Several row groups, the last one short, so the row-group walk is exercised.
    rowGroupSize: 10,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(iterable: AsyncIterable<ReadOutcome>): Promise<ReadOutcome[]> {
  const out: ReadOutcome[] = [];
  for await (const outcome of iterable) out.push(outcome);
  return out;
}

const options: ReadOptions = { format: "parquet", textField: "text", idField: "pmid" };

function expectFixtureOutcomes(outcomes: ReadOutcome[]): void {
  expect(outcomes).toHaveLength(25);
  expect(outcomes[0]).toEqual({
    kind: "record",
    line: 1,
    text: "Abstract 0: 二甲双胍 lowers HbA1c.",
    externalId: "30000000",
    metadata: { score: 0, published: "2020-01-01T00:00:00.000Z", journal: "BMJ" },
  });
  expect(outcomes[7]).toEqual({ kind: "rejection", line: 8, reason: "missing text field 'text'" });
  expect(outcomes[11]).toEqual({ kind: "rejection", line: 12, reason: "empty text" });
  expect(outcomes[24]).toMatchObject({ kind: "record", line: 25, externalId: "4611686018427387904", metadata: { journal: "BMJ" } });
  expect(outcomes[13]).toMatchObject({ line: 14, metadata: { score: 3.25, journal: null } });
  for (const outcome of outcomes) {
    if (outcome.kind === "record") expect(JSON.parse(JSON.stringify(outcome.metadata))).toEqual(outcome.metadata);
  }
}

describe("readSourceTexts, parquet", () => {
  it("reads a file by path across row groups, with JSON-safe metadata", async () => {
    expectFixtureOutcomes(await collect(readSourceTexts(path, options)));
  });

  it("spools a stream to a temporary file and removes it afterwards", async () => {
    const before = (await readdir(tmpdir())).filter((name) => name.startsWith("finemed-") && name.endsWith(".parquet"));
    const web = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
    expectFixtureOutcomes(await collect(readSourceTexts(web, options)));
    const after = (await readdir(tmpdir())).filter((name) => name.startsWith("finemed-") && name.endsWith(".parquet"));
    expect(after).toEqual(before);
  });

  it("keeps BigInt metadata as numbers when safe and strings when not", async () => {
    const outcomes = await collect(readSourceTexts(path, { format: "parquet", textField: "text" }));
    expect(outcomes[0]).toMatchObject({ externalId: null, metadata: { pmid: 30_000_000 } });
    expect(outcomes[24]).toMatchObject({ metadata: { pmid: "4611686018427387904" } });
  });

  it("throws when the text column is missing, listing the columns", async () => {
    await expect(collect(readSourceTexts(path, { format: "parquet", textField: "content" }))).rejects.toThrow(
      "parquet file has no text column 'content'; columns found: 'pmid', 'text', 'score', 'published', 'journal'",
    );
    await expect(collect(readSourceTexts(path, { format: "parquet", textField: "text", idField: "id" }))).rejects.toThrow(
      "parquet file has no id column 'id'",
    );
  });
});
