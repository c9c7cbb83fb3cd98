import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";
import { reviewQueue } from "../lib/labels/review-queue";

const TEXTS = 20;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe("a secondary classification that stays unusable", () => {
  it("keeps the paid-for sample with its primary label, the secondary unresolved and queued for review", async () => {
    const simulator = await startSimulator({ port: 0, latencyMs: 5, seed: "unsure", unresolvableSecondary: true });
    const worker = await startSynthesisWorker(db, { concurrency: 1 });
    try {
      await importPubmedqa(db, "pubmedqa-unsure", TEXTS);
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-unsure",
        batchSize: 10,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim"),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      const done = await waitForRun(db, run.runId, 120_000);
      expect(done.status).toBe("completed");
      expect(done.kept).toBeGreaterThan(0);
      expect(done.failedByStage["classification-secondary"] ?? 0).toBe(0);

      const labels = await db.pool.query<{ primary: string | null; secondary: string | null; raw: string | null }>(
        `SELECT p.department AS primary, s.department AS secondary, s.raw_answer AS raw
           FROM run_texts t
           JOIN department_labels p ON p.instruction_id = t.kept_instruction_id AND p.level = 'primary'
           JOIN department_labels s ON s.instruction_id = t.kept_instruction_id AND s.level = 'secondary'
          WHERE t.run_id = $1 AND t.outcome = 'kept'`,
        [run.runId],
      );
      expect(labels.rows).toHaveLength(done.kept);
      for (const row of labels.rows) {
        expect(row.primary).not.toBeNull();
        expect(row.secondary).toBeNull();
        expect(row.raw).toContain("not sure");
      }
      const queue = await reviewQueue(db, { limit: 500 });
      const unresolved = queue.items.filter((item) => item.reasons.includes("secondary is None under a primary that has secondaries"));
      expect(unresolved.length).toBe(done.kept);
    } finally {
      await worker.stop();
      await simulator.close();
    }
  }, 180_000);
});
