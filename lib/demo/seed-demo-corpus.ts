import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "../db/database";
import { studioRoot } from "../install/studio-root";
import { importSourceTexts, type ImportSummary } from "../corpus/import-source-texts";

export const DEMO_CORPUS_NAME = "FineMed demo";

export function demoCorpusFile(root = studioRoot()): string {
  return join(root, "demo/corpus.jsonl");
}

/** Loads the demo corpus into an empty studio so a first start shows real content; never on top of data. */
export async function seedDemoCorpus(db: Database, file = demoCorpusFile()): Promise<ImportSummary | null> {
  if (!existsSync(file)) return null;
  if ((await db.prisma.corpus.count()) > 0) return null;
  return importSourceTexts(db, {
    corpusName: DEMO_CORPUS_NAME,
    fileName: "demo/corpus.jsonl",
    source: file,
    read: { format: "jsonl", textField: "text", idField: "id" },
    strict: true,
    createdBy: "studio:demo",
  });
}
