import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "../lib/db/database";
import { importSourceTexts } from "../lib/corpus/import-source-texts";
import { writeMedicalTextsJsonl } from "./medical-texts";

/** Imports `count` seeded medical texts as corpus `name`, through the studio's importer. */
export async function importBenchCorpus(db: Database, name: string, count: number, seed: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "finemed-bench-orchestration-"));
  try {
    const file = join(dir, `${name}.jsonl`);
    await writeMedicalTextsJsonl(file, count, seed);
    const summary = await importSourceTexts(db, {
      corpusName: name,
      fileName: `${name}.jsonl`,
      source: createReadStream(file),
      read: { format: "jsonl", textField: "text", idField: "id" },
      strict: true,
      createdBy: "bench",
    });
    if (!summary.committed || summary.imported !== count) throw new Error(`corpus ${name}: imported ${summary.imported} of ${count} texts`);
    return summary.imported;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
