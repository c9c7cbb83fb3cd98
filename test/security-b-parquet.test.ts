// Finding 7 of the security probe: files that lie are refused whole, with a reason and nothing
// written. The lying Parquet files are made with hyparquet-writer, then given a forged footer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parquetMetadata, type FileMetaData } from "hyparquet";
import { ByteWriter, parquetWriteBuffer } from "hyparquet-writer";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { POST as postImport } from "../app/api/imports/route";

let db: TestDatabase;
let token: string;
const shared = globalThis as { finemedDatabase?: Promise<Database> };

beforeAll(async () => {
  db = await openTestDatabase();
  shared.finemedDatabase = Promise.resolve(db);
  token = (await createServiceToken(db, { name: "parquet-probe", role: "curator" }, "test")).token;
}, 120_000);

afterAll(async () => {
  shared.finemedDatabase = undefined;
  await db?.drop();
});

/** An honest Parquet file: `rows` abstracts in row groups of `groupRows`. */
function honestParquet(rows: number, groupRows: number): ArrayBuffer {
  const ids = Array.from({ length: rows }, (_, i) => `pmid-${i}`);
  return parquetWriteBuffer({
    columnData: [
      { name: "id", type: "STRING", data: ids },
      { name: "text", type: "STRING", data: ids.map((id) => `Abstract ${id}: metformin lowers HbA1c in type 2 diabetes.`) },
    ],
    rowGroupSize: groupRows,
  });
}

/** The same pages under a footer rewritten by `forge` (what a lying writer, or a bit flip, produces). */
function forgedFooter(file: ArrayBuffer, forge: (metadata: FileMetaData) => void): Uint8Array<ArrayBuffer> {
  const metadata = parquetMetadata(file);
  const footerLength = new DataView(file).getUint32(file.byteLength - 8, true);
  forge(metadata);
  const writer = new ByteWriter();
  writer.appendBytes(new Uint8Array(file, 0, file.byteLength - 8 - footerLength));
  const { metadata_length: _ignored, ...rest } = metadata;
  writeMetadata(writer, rest as FileMetaData);
  writer.appendUint32(0x31524150); // PAR1
  return new Uint8Array(writer.getBuffer());
}

async function upload(
  corpus: string,
  fileName: string,
  body: Uint8Array<ArrayBuffer> | string,
): Promise<{ status: number; answer: Record<string, unknown> }> {
  const request = new Request(`http://studio.test/api/imports?corpus=${corpus}&fileName=${fileName}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body,
  });
  const response = await postImport(request, undefined);
  return { status: response.status, answer: (await response.json()) as Record<string, unknown> };
}

async function stored(corpus: string): Promise<{ corpora: number; texts: number; rejections: number }> {
  const result = await db.pool.query<{ corpora: number; texts: number; rejections: number }>(
    `SELECT (SELECT count(*) FROM corpora WHERE name = $1)::int AS corpora,
            (SELECT count(*) FROM source_texts s JOIN corpora c ON c.id = s.corpus_id WHERE c.name = $1)::int AS texts,
            (SELECT count(*) FROM import_rejections r JOIN imports i ON i.id = r.import_id JOIN corpora c ON c.id = i.corpus_id WHERE c.name = $1)::int AS rejections`,
    [corpus],
  );
  return result.rows[0]!;
}

const NOTHING = { corpora: 0, texts: 0, rejections: 0 };

describe("lying and damaged files are refused (security probe finding 7)", () => {
  it("imports an honest file whose footer was rewritten unchanged (the forging keeps the pages intact)", async () => {
    const { status, answer } = await upload(
      "honest",
      "honest.parquet",
      forgedFooter(honestParquet(2_000, 1_000), () => undefined),
    );
    expect(status).toBe(201);
    expect(answer).toMatchObject({ imported: 2_000, rejected: 0 });
  });

  it("refuses row groups that claim fewer rows than they hold (8 of 2,000 were imported)", async () => {
    const file = forgedFooter(honestParquet(2_000, 1_000), (metadata) => {
      for (const group of metadata.row_groups) group.num_rows = 4n;
      metadata.num_rows = 8n;
    });
    const { status, answer } = await upload("fewer-rows", "fewer.parquet", file);
    expect(status).toBe(400);
    expect(answer.error).toMatch(/row group 1, column 'id' holds 1000 rows but the row group says 4; nothing was imported/);
    expect(await stored("fewer-rows")).toEqual(NOTHING);
  });

  it("refuses row groups that claim 250,000 rows each (a 25 KB file wrote 998,000 rejections)", async () => {
    const file = forgedFooter(honestParquet(2_000, 500), (metadata) => {
      for (const group of metadata.row_groups) group.num_rows = 250_000n;
      metadata.num_rows = BigInt(250_000 * metadata.row_groups.length);
    });
    const { status, answer } = await upload("more-rows", "more.parquet", file);
    expect(status).toBe(400);
    expect(answer.error).toMatch(/holds 500 rows but the row group says 250000/);
    expect(await stored("more-rows")).toEqual(NOTHING);
  });

  it("refuses a row count that disagrees with the file's total", async () => {
    const file = forgedFooter(honestParquet(100, 50), (metadata) => {
      metadata.num_rows = 40n;
    });
    const { status, answer } = await upload("total-lies", "total.parquet", file);
    expect(status).toBe(400);
    expect(answer.error).toMatch(/row groups hold 100 rows but the file says 40/);
  });

  it("refuses bad page offsets instead of making an empty corpus", async () => {
    const file = forgedFooter(honestParquet(2_000, 1_000), (metadata) => {
      for (const group of metadata.row_groups) {
        for (const column of group.columns) {
          column.meta_data!.data_page_offset += 7n;
          if (column.meta_data!.dictionary_page_offset !== undefined) column.meta_data!.dictionary_page_offset += 7n;
        }
      }
    });
    const { status, answer } = await upload("bad-offsets", "offsets.parquet", file);
    expect(status).toBe(400);
    expect(answer.error).toMatch(
      /this Parquet file cannot be imported: row group 1, column 'id' (has an unreadable page|has a damaged page|points outside)/,
    );
    expect(await stored("bad-offsets")).toEqual(NOTHING);
  });

  it("refuses a truncated file and a 0-byte file with a plain reason", async () => {
    const honest = new Uint8Array(honestParquet(2_000, 1_000));
    const truncated = await upload("truncated", "cut.parquet", honest.slice(0, Math.floor(honest.byteLength / 2)));
    expect(truncated.status).toBe(400);
    expect(truncated.answer.error).toMatch(/it is not Parquet or it is truncated/);
    const empty = await upload("zero-bytes", "empty.parquet", new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(empty.answer.error).toBe("this Parquet file cannot be imported: the file is empty; nothing was imported");
    expect(JSON.stringify(empty.answer)).not.toMatch(/DataView/);
    expect(await stored("truncated")).toEqual(NOTHING);
    expect(await stored("zero-bytes")).toEqual(NOTHING);
  });

  it("refuses an empty JSONL instead of creating an empty corpus", async () => {
    const { status, answer } = await upload("empty-jsonl", "empty.jsonl", "");
    expect(status).toBe(400);
    expect(answer.error).toBe("empty.jsonl holds no records (it is empty); nothing was imported");
    expect(await stored("empty-jsonl")).toEqual(NOTHING);
  });

  it("stores the first 1,000 rejections and the total, whatever the format", async () => {
    const lines = [
      JSON.stringify({ text: "A patient with asthma uses an inhaled corticosteroid." }),
      ...Array.from({ length: 2_500 }, (_, i) => JSON.stringify({ id: i })),
    ];
    const { status, answer } = await upload("many-bad", "bad.jsonl", lines.join("\n"));
    expect(status).toBe(201);
    expect(answer).toMatchObject({ imported: 1, rejected: 2_500 });
    expect((answer.rejections as unknown[]).length).toBe(1_000);
    expect(await stored("many-bad")).toEqual({ corpora: 1, texts: 1, rejections: 1_000 });
    const total = await db.pool.query<{ rejected_count: number }>(
      `SELECT i.rejected_count FROM imports i JOIN corpora c ON c.id = i.corpus_id WHERE c.name = 'many-bad'`,
    );
    expect(total.rows[0]!.rejected_count).toBe(2_500);
  });
});
