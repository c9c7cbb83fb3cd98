import iconv from "iconv-lite";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSourceTexts } from "./read-source-texts";
import type { ReadOptions, ReadOutcome } from "./records";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "finemed-csv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(iterable: AsyncIterable<ReadOutcome>): Promise<ReadOutcome[]> {
  const out: ReadOutcome[] = [];
  for await (const outcome of iterable) out.push(outcome);
  return out;
}

async function fixture(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

const csvOptions = (extra: Partial<ReadOptions> = {}): ReadOptions => ({
  format: "csv",
  textField: "text",
  idField: "id",
  ...extra,
});

const summary = (outcomes: ReadOutcome[]): (string | [number, string | null, string])[] =>
  outcomes.map((o) => (o.kind === "record" ? [o.line, o.externalId, o.text] : `${o.line}: ${o.reason}`));

const chineseCsv = [
  "id,text,科室",
  "1,糖尿病患者应定期监测血糖。,内分泌科",
  '2,"高血压是心脑血管疾病的主要危险因素，\n需要长期管理。",心内科',
  "3,阿司匹林可用于二级预防。,心内科",
].join("\n");

describe("readSourceTexts, CSV", () => {
  it("reads UTF-8 with a BOM and CRLF, numbering records by their first line", async () => {
    const body = ["id,text,source", "a1,First text,pubmed", '"a2","Spans\r\ntwo lines",pmc', "", "a3,Third,pubmed"].join("\r\n");
    const path = await fixture("utf8.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    const outcomes = await collect(readSourceTexts(path, csvOptions()));
    expect(outcomes).toEqual([
      { kind: "record", line: 2, text: "First text", externalId: "a1", metadata: { source: "pubmed" } },
      { kind: "record", line: 3, text: "Spans\r\ntwo lines", externalId: "a2", metadata: { source: "pmc" } },
      { kind: "record", line: 6, text: "Third", externalId: "a3", metadata: { source: "pubmed" } },
    ]);
  });

  it("detects UTF-8 Chinese under auto", async () => {
    const path = await fixture("zh-utf8.csv", chineseCsv);
    const outcomes = await collect(readSourceTexts(path, csvOptions({ encoding: "auto" })));
    expect(summary(outcomes)).toEqual([
      [2, "1", "糖尿病患者应定期监测血糖。"],
      [3, "2", "高血压是心脑血管疾病的主要危险因素，\n需要长期管理。"],
      [5, "3", "阿司匹林可用于二级预防。"],
    ]);
    expect(outcomes[0]).toMatchObject({ metadata: { 科室: "内分泌科" } });
  });

  it("detects GB18030 Chinese under auto and reads it when named", async () => {
    const path = await fixture("zh-gb18030.csv", iconv.encode(chineseCsv, "gb18030"));
    for (const encoding of ["auto", "gb18030"] as const) {
      const outcomes = await collect(readSourceTexts(path, csvOptions({ encoding })));
      expect(summary(outcomes)).toEqual([
        [2, "1", "糖尿病患者应定期监测血糖。"],
        [3, "2", "高血压是心脑血管疾病的主要危险因素，\n需要长期管理。"],
        [5, "3", "阿司匹林可用于二级预防。"],
      ]);
      expect(outcomes[2]).toMatchObject({ metadata: { 科室: "心内科" } });
    }
  });

  it("rejects a malformed row with its line and goes on with the rows after it", async () => {
    const body = ["id,text", "1,good", "2,too,many,fields", '3,"quoted\nacross lines"', "4,,", "5,", "6,   ", "7,still good"].join("\n");
    const path = await fixture("malformed.csv", body + "\n");
    const outcomes = await collect(readSourceTexts(path, csvOptions()));
    expect(summary(outcomes)).toEqual([
      [2, "1", "good"],
      "3: malformed CSV: 4 fields where the header has 2",
      [4, "3", "quoted\nacross lines"],
      "6: malformed CSV: 3 fields where the header has 2",
      "7: empty text",
      "8: empty text",
      [9, "7", "still good"],
    ]);
  });

  it("locates a bad quote by the file's lines, not csv-parse's count", async () => {
    const body = ["id,text", '1,"two\r\nlines"', '2,"bad"quote'].join("\r\n");
    const path = await fixture("bad-quote.csv", body);
    const outcomes = await collect(readSourceTexts(path, csvOptions()));
    expect(outcomes[0]).toMatchObject({ kind: "record", line: 2 });
    expect(outcomes[1]).toMatchObject({
      kind: "rejection",
      line: 4,
      reason: "malformed CSV: the quoted field 'text' has text after its closing quote",
    });
    expect(outcomes[1]?.kind === "rejection" && outcomes[1].reason).not.toMatch(/line \d/);
  });

  it("rejects NUL bytes and oversized texts per row", async () => {
    const body = ["id,text", "1,a\u0000b", `2,${"z".repeat(120)}`, "3,fine"].join("\n");
    const path = await fixture("limits.csv", body);
    const outcomes = await collect(readSourceTexts(path, csvOptions({ maxTextBytes: 100 })));
    expect(summary(outcomes)).toEqual(["2: NUL byte in text", "3: text is 120 bytes, over the limit of 100", [4, "3", "fine"]]);
  });

  it("stops at an unclosed quote once the record outgrows the cap, saying so", async () => {
    const body = ["id,text", "1,fine", `2,"never closed ${"q".repeat(500)}`, "3,lost"].join("\n");
    const path = await fixture("unclosed.csv", body);
    const outcomes = await collect(readSourceTexts(path, csvOptions({ maxTextBytes: 100 })));
    expect(outcomes[0]).toMatchObject({ kind: "record", line: 2, text: "fine" });
    expect(outcomes.slice(1)).toEqual([
      expect.objectContaining({ kind: "rejection", line: 3, reason: expect.stringMatching(/^record is over 400 bytes/) }),
    ]);
  });

  it("keeps line numbers exact across thousands of rows arriving in tiny chunks", async () => {
    const lines = ["id,text"];
    const expected: (string | [number, string | null, string])[] = [];
    let line = 1;
    for (let i = 0; i < 3000; i += 1) {
      line += i > 0 && (i - 1) % 10 === 0 && (i - 1) % 97 !== 0 ? 2 : 1;
      if (i % 97 === 0) {
        lines.push(`${i},bad,row`);
        expected.push(`${line}: malformed CSV: 3 fields where the header has 2`);
      } else if (i % 10 === 0) {
        lines.push(`${i},"第${i}行\r\n续行"`);
        expected.push([line, String(i), `第${i}行\r\n续行`]);
      } else {
        lines.push(`${i},row ${i}`);
        expected.push([line, String(i), `row ${i}`]);
      }
    }
    const bytes = iconv.encode(lines.join("\r\n"), "gb18030");
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const outcomes = await collect(readSourceTexts(Readable.from(chunks), csvOptions({ encoding: "gb18030" })));
    expect(summary(outcomes)).toEqual(expected);
  });

  it("lets the consumer stop early", async () => {
    const path = await fixture("many.csv", ["id,text", ...Array.from({ length: 5000 }, (_, i) => `${i},row ${i}`)].join("\n"));
    const seen: number[] = [];
    for await (const outcome of readSourceTexts(path, csvOptions())) {
      seen.push(outcome.line);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([2, 3]);
  });

  it("throws when the file cannot be read", async () => {
    await expect(collect(readSourceTexts(join(dir, "absent.csv"), csvOptions()))).rejects.toThrow(/ENOENT/);
  });

  it("throws before any record when the text column is missing, listing the columns", async () => {
    const path = await fixture("no-text.csv", "id,body,lang\n1,hello,en\n2,bad\n");
    const read = collect(readSourceTexts(path, csvOptions()));
    await expect(read).rejects.toThrow("CSV has no text column 'text'; columns found: 'id', 'body', 'lang'");
    await expect(collect(readSourceTexts(path, csvOptions({ textField: "body", idField: "pmid" })))).rejects.toThrow(
      "CSV has no id column 'pmid'; columns found: 'id', 'body', 'lang'",
    );
    const headerOnly = await fixture("header-only.csv", "id,body\n");
    await expect(collect(readSourceTexts(headerOnly, csvOptions()))).rejects.toThrow(/no text column 'text'/);
    const empty = await fixture("empty.csv", "");
    await expect(collect(readSourceTexts(empty, csvOptions()))).rejects.toThrow(/no header row/);
  });
});
