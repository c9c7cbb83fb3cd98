import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli } from "./support/cli";
import { PUBMEDQA_COUNT, writePubmedqaJsonl } from "./support/pubmedqa";
import { importSourceTexts } from "../lib/corpus/import-source-texts";

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "finemed-import-"));
});

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function counts(corpus: string) {
  const result = await db.pool.query<{ texts: number; imports: number; rejections: number }>(
    `SELECT (SELECT count(*) FROM source_texts s JOIN corpora c ON c.id = s.corpus_id WHERE c.name = $1)::int AS texts,
            (SELECT count(*) FROM imports i JOIN corpora c ON c.id = i.corpus_id WHERE c.name = $1)::int AS imports,
            (SELECT count(*) FROM import_rejections r JOIN imports i ON i.id = r.import_id JOIN corpora c ON c.id = i.corpus_id WHERE c.name = $1)::int AS rejections`,
    [corpus],
  );
  return result.rows[0]!;
}

function malformedJsonl(): Buffer {
  const parts: Buffer[] = [
    Buffer.from(`${JSON.stringify({ id: "a1", text: "Metformin lowers hepatic glucose output in type 2 diabetes." })}\n`), // 1 ok
    Buffer.from(`{"id": "a2", "text": "unterminated\n`), // 2 invalid JSON
    Buffer.from(`${JSON.stringify({ id: "a3", text: "Contains a NUL \u0000 byte" })}\n`), // 3 NUL
    Buffer.concat([Buffer.from('{"id":"a4","text":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' utf8"}\n')]), // 4 invalid UTF-8
    Buffer.from(`${JSON.stringify({ id: "a5", text: "x".repeat(5 * 1024 * 1024) })}\n`), // 5 a 5 MB line
    Buffer.from(`${JSON.stringify({ id: "a6", text: "Metformin lowers hepatic glucose output in type 2 diabetes." })}\n`), // 6 duplicate of 1
    Buffer.from(`${JSON.stringify({ id: "a7" })}\n`), // 7 missing text
    Buffer.from(`${JSON.stringify({ id: "a8", text: "   " })}\n`), // 8 empty text
    Buffer.from(`${JSON.stringify({ id: "a9", text: "Atrial fibrillation raises the risk of stroke; anticoagulation lowers it." })}\n`), // 9 ok
  ];
  return Buffer.concat(parts);
}

describe("corpus import", () => {
  it("imports the 300 PubMedQA abstracts of the fixture through the CLI", async () => {
    const file = await writePubmedqaJsonl(dir);
    const result = await runCli(["import", file, "--corpus", "pubmedqa", "--id-field", "id", "--json"], db.childEnv);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { imported: number; duplicates: number; rejected: number; committed: boolean };
    expect(summary).toMatchObject({ committed: true, rejected: 0 });
    expect(summary.imported + summary.duplicates).toBe(PUBMEDQA_COUNT);
    expect(summary.imported).toBeGreaterThan(PUBMEDQA_COUNT - 10);
    const stored = await db.pool.query<{ external_id: string; metadata: { question: string } }>(
      `SELECT external_id, metadata FROM source_texts WHERE external_id = '21645374'`,
    );
    expect(stored.rows[0]?.metadata.question).toMatch(/mitochondria/i);
    // Importing the same file again adds nothing: every text is a duplicate within the corpus.
    const again = await runCli(["import", file, "--corpus", "pubmedqa", "--id-field", "id", "--json"], db.childEnv);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, duplicates: PUBMEDQA_COUNT });
    expect((await counts("pubmedqa")).texts).toBe(summary.imported);
  });

  it("imports the valid lines of a malformed file and reports every bad one with its line", async () => {
    const file = join(dir, "malformed.jsonl");
    writeFileSync(file, malformedJsonl());
    const result = await runCli(["import", file, "--corpus", "malformed", "--id-field", "id", "--json"], db.childEnv);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      imported: number;
      duplicates: number;
      rejected: number;
      rejections: { line: number; reason: string }[];
    };
    expect(summary.imported).toBe(2);
    expect(summary.duplicates).toBe(1);
    expect(summary.rejections.map((r) => r.line)).toEqual([2, 3, 4, 5, 7, 8]);
    const reasons = summary.rejections.map((r) => r.reason).join("\n");
    expect(reasons).toMatch(/invalid JSON/);
    expect(reasons).toMatch(/NUL/);
    expect(reasons).toMatch(/UTF-8/);
    expect(reasons).toMatch(/too long for a text limit|over the limit/);
    expect(reasons).toMatch(/missing text/);
    expect(reasons).toMatch(/empty/);
    expect(await counts("malformed")).toEqual({ texts: 2, imports: 1, rejections: 6 });
  });

  it("--strict reports the bad lines and writes nothing", async () => {
    const file = join(dir, "strict.jsonl");
    writeFileSync(file, malformedJsonl());
    const result = await runCli(["import", file, "--corpus", "strict-corpus", "--strict"], db.childEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("line 2:");
    expect(result.stderr).toContain("line 8:");
    expect(result.stdout).toContain("nothing written");
    expect(await counts("strict-corpus")).toEqual({ texts: 0, imports: 0, rejections: 0 });
    const corpus = await db.pool.query(`SELECT 1 FROM corpora WHERE name = 'strict-corpus'`);
    expect(corpus.rowCount).toBe(0);
  });

  it("refuses an empty file with a reason instead of making an empty corpus", async () => {
    const file = join(dir, "empty.jsonl");
    writeFileSync(file, "");
    const result = await runCli(["import", file, "--corpus", "empty", "--json"], db.childEnv);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/holds no records \(it is empty\); nothing was imported/);
    expect(await counts("empty")).toEqual({ texts: 0, imports: 0, rejections: 0 });
    expect((await db.pool.query(`SELECT 1 FROM corpora WHERE name = 'empty'`)).rows).toEqual([]);
  });

  it("detects and imports a GB18030 CSV", async () => {
    const csv = 'id,text,source\nz1,"糖尿病患者应定期监测糖化血红蛋白（HbA1c）。",web\nz2,"高血压是脑卒中的主要危险因素。",web\nz3,,web\n';
    const file = join(dir, "chinese.csv");
    writeFileSync(file, iconv.encode(csv, "gb18030"));
    const result = await runCli(["import", file, "--corpus", "zh", "--id-field", "id", "--json"], db.childEnv);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { imported: number; rejections: { line: number }[] };
    expect(summary.imported).toBe(2);
    expect(summary.rejections.map((r) => r.line)).toEqual([4]);
    const texts = await db.pool.query<{ text: string; language: string; metadata: { source: string } }>(
      `SELECT s.text, s.language, s.metadata FROM source_texts s JOIN corpora c ON c.id = s.corpus_id WHERE c.name = 'zh' ORDER BY s.id`,
    );
    expect(texts.rows[0]).toMatchObject({
      text: "糖尿病患者应定期监测糖化血红蛋白（HbA1c）。",
      language: "zh",
      metadata: { source: "web" },
    });
  });

  it("rejects bad arguments with a reason and touches nothing", async () => {
    const before = await db.pool.query(`SELECT count(*)::int AS n FROM imports`);
    const missingCorpus = await runCli(["import", join(dir, "empty.jsonl")], db.childEnv);
    expect(missingCorpus.code).toBe(2);
    expect(missingCorpus.stderr).toMatch(/corpus/);
    const badFormat = await runCli(["import", join(dir, "empty.jsonl"), "--corpus", "x", "--format", "xml"], db.childEnv);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/format/);
    const noFile = await runCli(["import", join(dir, "absent.jsonl"), "--corpus", "x"], db.childEnv);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/cannot read/);
    const after = await db.pool.query(`SELECT count(*)::int AS n FROM imports`);
    expect(after.rows).toEqual(before.rows);
  });

  it("leaves the database as before when the importing process is killed midway (kill -9)", async () => {
    const file = join(dir, "big.jsonl");
    const lines: string[] = [];
    for (let i = 0; i < 150_000; i++)
      lines.push(
        JSON.stringify({
          id: `big-${i}`,
          text: `Synthetic clinical note ${i}: ${"hypertension follow-up with ACE inhibitor titration. ".repeat(8)}`,
        }),
      );
    writeFileSync(file, `${lines.join("\n")}\n`);
    const before = await db.pool.query(
      `SELECT (SELECT count(*) FROM source_texts)::int AS texts, (SELECT count(*) FROM imports)::int AS imports`,
    );
    const result = await runCli(["import", file, "--corpus", "killed"], db.childEnv, (child) => {
      // Kill once rows are being written (the first batches are in flight inside the open transaction).
      setTimeout(() => child.kill("SIGKILL"), 2_500);
    });
    expect(result.signal).toBe("SIGKILL");
    // The server (or the embedded database's owner) rolls the open transaction back when the connection drops.
    let after = await db.pool.query(
      `SELECT (SELECT count(*) FROM source_texts)::int AS texts, (SELECT count(*) FROM imports)::int AS imports`,
    );
    for (let attempt = 0; attempt < 50 && JSON.stringify(after.rows) !== JSON.stringify(before.rows); attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await db.pool.query(
        `SELECT (SELECT count(*) FROM source_texts)::int AS texts, (SELECT count(*) FROM imports)::int AS imports`,
      );
    }
    expect(after.rows).toEqual(before.rows);
    expect((await db.pool.query(`SELECT 1 FROM corpora WHERE name = 'killed'`)).rowCount).toBe(0);
  });

  it("imports from a web stream the way an upload arrives", async () => {
    const body = new Blob([`${JSON.stringify({ text: "Community-acquired pneumonia is treated empirically." })}\n`]).stream();
    const summary = await importSourceTexts(db, {
      corpusName: "upload",
      fileName: "upload.jsonl",
      source: body,
      read: { format: "jsonl", textField: "text" },
      strict: false,
      createdBy: "test",
    });
    expect(summary).toMatchObject({ committed: true, imported: 1 });
  });
});
