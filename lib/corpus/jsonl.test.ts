import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSourceTexts } from "./read-source-texts";
import type { ReadOutcome, ReadableSource } from "./records";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "finemed-jsonl-"));
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

const rejections = (outcomes: ReadOutcome[]): [number, string][] =>
  outcomes.flatMap((o) => (o.kind === "rejection" ? [[o.line, o.reason] as [number, string]] : []));
const recordLines = (outcomes: ReadOutcome[]): number[] => outcomes.flatMap((o) => (o.kind === "record" ? [o.line] : []));

describe("readSourceTexts, JSONL", () => {
  it("imports valid lines with id and the other fields as metadata", async () => {
    const path = await fixture(
      "valid.jsonl",
      [
        JSON.stringify({ id: 17, text: "Aspirin inhibits COX-1.", source: "pubmed", tags: ["a"] }),
        JSON.stringify({ id: "pmid-2", text: "Metformin lowers hepatic glucose output.", year: 2020 }),
        JSON.stringify({ text: "  leading spaces are kept\t" }),
      ].join("\n") + "\n",
    );
    const outcomes = await collect(readSourceTexts(path, { format: "jsonl", textField: "text", idField: "id" }));
    expect(outcomes).toEqual([
      { kind: "record", line: 1, text: "Aspirin inhibits COX-1.", externalId: "17", metadata: { source: "pubmed", tags: ["a"] } },
      { kind: "record", line: 2, text: "Metformin lowers hepatic glucose output.", externalId: "pmid-2", metadata: { year: 2020 } },
      { kind: "record", line: 3, text: "  leading spaces are kept\t", externalId: null, metadata: {} },
    ]);
  });

  it("rejects each bad line with its reason and line number, skipping blank lines", async () => {
    const longText = "x".repeat(1500);
    const lines: (string | Buffer)[] = [
      JSON.stringify({ text: "ok one" }), // 1
      "", // 2 blank
      JSON.stringify({ text: "   \n " }), // 3
      JSON.stringify({ title: "no text" }), // 4
      JSON.stringify({ text: 42 }), // 5
      "[1, 2]", // 6
      '{"text": "unterminated', // 7
      JSON.stringify({ text: "a\u0000b" }), // 8
      Buffer.concat([Buffer.from('{"text": "bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), // 9
      JSON.stringify({ text: longText }), // 10
      JSON.stringify({ text: "fine", id: true }), // 11
      "   \t ", // 12 whitespace-only, skipped
      JSON.stringify({ text: null }), // 13
      "null", // 14
      JSON.stringify({ text: "ok last" }), // 15, no trailing newline
    ];
    const bytes = Buffer.concat(lines.flatMap((line, i) => [Buffer.from(line), Buffer.from(i < lines.length - 1 ? "\n" : "")]));
    const path = await fixture("mixed.jsonl", bytes);
    const outcomes = await collect(readSourceTexts(path, { format: "jsonl", textField: "text", idField: "id", maxTextBytes: 1000 }));
    expect(recordLines(outcomes)).toEqual([1, 15]);
    const reasons = rejections(outcomes);
    expect(reasons.map(([line]) => line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14]);
    expect(Object.fromEntries(reasons)).toMatchObject({
      3: "empty text",
      4: "missing text field 'text'",
      5: "text field 'text' is number, not a string",
      6: "not a JSON object (got array)",
      8: "NUL byte in text",
      9: "invalid UTF-8",
      10: "text is 1500 bytes, over the limit of 1000",
      11: "id field 'id' is boolean, not a string or number",
      13: "missing text field 'text'",
      14: "not a JSON object (got null)",
    });
    expect(Object.fromEntries(reasons)[7]).toMatch(/^invalid JSON: /);
  });

  it("counts the limit in UTF-8 bytes, not characters", async () => {
    const path = await fixture("cjk.jsonl", JSON.stringify({ text: "糖".repeat(400) }) + "\n");
    const outcomes = await collect(readSourceTexts(path, { format: "jsonl", textField: "text", maxTextBytes: 1000 }));
    expect(rejections(outcomes)).toEqual([[1, "text is 1200 bytes, over the limit of 1000"]]);
  });

  it("rejects a 5 MB single line without buffering it and imports the lines after it", async () => {
    const huge = JSON.stringify({ text: "y".repeat(5 * 1024 * 1024) });
    const path = await fixture(
      "huge.jsonl",
      [JSON.stringify({ text: "before" }), huge, JSON.stringify({ text: "after" })].join("\n") + "\n",
    );
    const outcomes = await collect(readSourceTexts(path, { format: "jsonl", textField: "text" }));
    expect(outcomes.filter((o) => o.kind === "record").map((o) => (o.kind === "record" ? o.text : ""))).toEqual(["before", "after"]);
    expect(rejections(outcomes)).toEqual([[2, `line is ${Buffer.byteLength(huge)} bytes, too long for a text limit of 1000000`]]);
    expect(recordLines(outcomes)).toEqual([1, 3]);
  });

  it("tolerates a BOM and CRLF line ends", async () => {
    const body = [JSON.stringify({ text: "first" }), "", JSON.stringify({ text: "second\r" })].join("\r\n") + "\r\n";
    const path = await fixture("bom-crlf.jsonl", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    const outcomes = await collect(readSourceTexts(path, { format: "jsonl", textField: "text" }));
    expect(outcomes).toEqual([
      { kind: "record", line: 1, text: "first", externalId: null, metadata: {} },
      // A \r inside the JSON string is content, not a line end.
      { kind: "record", line: 3, text: "second\r", externalId: null, metadata: {} },
    ]);
  });

  it("reads web streams and Node Readables split at awkward chunk boundaries", async () => {
    const bytes = Buffer.from([JSON.stringify({ id: 1, text: "血糖控制" }), JSON.stringify({ id: 2, text: "胰岛素" })].join("\n"));
    // Three-byte chunks cut through lines and through multi-byte characters.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk));
        controller.close();
      },
    });
    const sources: ReadableSource[] = [web, Readable.from(chunks)];
    for (const source of sources) {
      const outcomes = await collect(readSourceTexts(source, { format: "jsonl", textField: "text", idField: "id" }));
      expect(outcomes.map((o) => (o.kind === "record" ? [o.externalId, o.text] : o.reason))).toEqual([
        ["1", "血糖控制"],
        ["2", "胰岛素"],
      ]);
    }
  });

  it("throws when the file cannot be read", async () => {
    await expect(collect(readSourceTexts(join(dir, "absent.jsonl"), { format: "jsonl", textField: "text" }))).rejects.toThrow(/ENOENT/);
  });

  it("lets the consumer stop early", async () => {
    const path = await fixture("many.jsonl", Array.from({ length: 100 }, (_, i) => JSON.stringify({ text: `t${i}` })).join("\n"));
    const seen: number[] = [];
    for await (const outcome of readSourceTexts(path, { format: "jsonl", textField: "text" })) {
      seen.push(outcome.line);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });

  it("refuses a non-positive text limit", () => {
    expect(() => readSourceTexts("unused.jsonl", { format: "jsonl", textField: "text", maxTextBytes: 0 })).toThrow(
      /maxTextBytes must be a positive integer/,
    );
  });
});

describe("NUL bytes outside the text", () => {
  it("rejects the row instead of failing the import", async () => {
    const lines = [
      JSON.stringify({ text: "Aspirin inhibits platelet aggregation.", source: "web\u0000page" }),
      JSON.stringify({ text: "Statins lower LDL cholesterol.", tags: ["ok", { nested: "bad\u0000" }] }),
      JSON.stringify({ text: "Warfarin needs INR monitoring.", source: "clean" }),
    ].join("\n");
    const outcomes = [];
    for await (const outcome of readSourceTexts(Readable.from([Buffer.from(lines)]), { format: "jsonl", textField: "text" }))
      outcomes.push(outcome);
    expect(outcomes.map((o) => o.kind)).toEqual(["rejection", "rejection", "record"]);
    expect(outcomes[0]).toMatchObject({ line: 1, reason: "NUL byte in field 'source'" });
    expect(outcomes[1]).toMatchObject({ line: 2, reason: "NUL byte in field 'tags'" });
  });
});
