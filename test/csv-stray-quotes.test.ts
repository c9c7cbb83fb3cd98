import iconv from "iconv-lite";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importSourceTexts } from "../lib/corpus/import-source-texts";
import { readSourceTexts } from "../lib/corpus/read-source-texts";
import type { ReadOutcome } from "../lib/corpus/records";

// A medical dialogue CSV as exported by hand-kept spreadsheets: quotes inside unquoted fields (inches,
// a quoted word), one properly quoted field with an escaped quote and a newline, one broken quoted field.
const ROWS = [
  "id,text,department",
  "1,患者身高5'8\"，体重70公斤。,内科",
  '2,医生说"多喝水"并按时服药。,内科',
  '3,"他问：""需要复查吗？""\n医生：需要。",心内科',
  "4,普通的一行。,儿科",
];
const BROKEN = '5,"引号关闭后"还有字,外科';

async function collect(iterable: AsyncIterable<ReadOutcome>): Promise<ReadOutcome[]> {
  const out: ReadOutcome[] = [];
  for await (const outcome of iterable) out.push(outcome);
  return out;
}

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe("CSV stray quotes, read as pandas reads them", () => {
  for (const encoding of ["utf-8", "gb18030"] as const) {
    it(`imports every record of a ${encoding} file with stray quotes, warning on their lines, and rejects a broken quoted field`, async () => {
      const body = [...ROWS, BROKEN].join("\n") + "\n";
      const bytes = encoding === "utf-8" ? Buffer.from(body, "utf8") : iconv.encode(body, "gb18030");
      const outcomes = await collect(
        readSourceTexts(Readable.from([bytes]), { format: "csv", textField: "text", idField: "id", encoding: "auto" }),
      );
      const records = outcomes.filter((o) => o.kind === "record");
      expect(records.map((r) => r.text)).toEqual([
        "患者身高5'8\"，体重70公斤。",
        '医生说"多喝水"并按时服药。',
        '他问："需要复查吗？"\n医生：需要。',
        "普通的一行。",
      ]);
      expect(records.map((r) => [r.line, r.warning ?? null])).toEqual([
        [2, "a stray quote in 'text' was read literally"],
        [3, "a stray quote in 'text' was read literally"],
        [4, null],
        [6, null],
      ]);
      expect(outcomes.filter((o) => o.kind === "rejection")).toEqual([
        { kind: "rejection", line: 7, reason: "malformed CSV: the quoted field 'text' has text after its closing quote" },
      ]);

      const summary = await importSourceTexts(db, {
        corpusName: `stray-quotes-${encoding}`,
        fileName: `dialogues-${encoding}.csv`,
        source: Readable.from([bytes]),
        read: { format: "csv", textField: "text", idField: "id" },
        strict: false,
        createdBy: "test",
      });
      expect(summary.imported).toBe(4);
      expect(summary.rejected).toBe(1);
      expect(summary.warnings).toEqual([
        { line: 2, message: "a stray quote in 'text' was read literally" },
        { line: 3, message: "a stray quote in 'text' was read literally" },
      ]);
      const stored = await db.pool.query<{ line: number; message: string }>(
        `SELECT line, message FROM import_warnings WHERE import_id = $1 ORDER BY line`,
        [summary.importId],
      );
      expect(stored.rows).toEqual(summary.warnings);
    });
  }

  it("still rejects an unclosed quoted field, with its line, and keeps the records before it", async () => {
    const body = ["id,text", "1,fine", '2,"never closed', "3,after"].join("\n");
    const outcomes = await collect(
      readSourceTexts(Readable.from([Buffer.from(body)]), { format: "csv", textField: "text", idField: "id" }),
    );
    expect(outcomes[0]).toMatchObject({ kind: "record", line: 2, text: "fine" });
    const rejection = outcomes.find((o) => o.kind === "rejection");
    expect(rejection).toMatchObject({ kind: "rejection", line: 3 });
  });
});
