import { Readable } from "node:stream";
import type { Database } from "../../lib/db/database";
import { pubmedqaToJsonl } from "../../lib/corpus/pubmedqa";
import { importSourceTexts } from "../../lib/corpus/import-source-texts";
import { runSummary, type RunSummary } from "../../lib/runs/run-summary";
import { PUBMEDQA_FILE } from "./pubmedqa";

/** Imports the real PubMedQA abstracts as corpus `name` (the first `limit` of them). */
export async function importPubmedqa(db: Database, name: string, limit = 1000): Promise<number> {
  async function* lines() {
    let count = 0;
    for await (const line of pubmedqaToJsonl(PUBMEDQA_FILE)) {
      if (count++ >= limit) return;
      yield line;
    }
  }
  const summary = await importSourceTexts(db, {
    corpusName: name,
    fileName: "pubmedqa.jsonl",
    source: Readable.from(lines()),
    read: { format: "jsonl", textField: "text", idField: "id" },
    strict: false,
    createdBy: "test",
  });
  return summary.imported;
}

export async function waitForRun(
  db: Database,
  runId: string,
  timeoutMs: number,
  until: (s: RunSummary) => boolean = (s) => ["completed", "cancelled", "failed"].includes(s.status),
): Promise<RunSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const summary = await runSummary(db, runId);
    if (summary && until(summary)) return summary;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in ${timeoutMs} ms: ${JSON.stringify(summary)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
