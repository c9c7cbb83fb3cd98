import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";
import { runSummary, type RunSummary } from "../lib/runs/run-summary";

const TEXTS = 30;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe("live progress against a slow backend", () => {
  it("moves calls, tokens and an ETA within 10 s, and texts one by one while their single batch is still in flight", async () => {
    const simulator = await startSimulator({ port: 0, latencyMs: 2_500, seed: "slow" });
    try {
      await importPubmedqa(db, "pubmedqa-slow", TEXTS);
      // One batch holds every text: progress per batch would show nothing until the very end.
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-slow",
        batchSize: 100,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim"),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      const worker = await startSynthesisWorker(db, { concurrency: 1 });
      const startedAt = Date.now();
      try {
        const samples: RunSummary[] = [];
        while (Date.now() - startedAt < 10_000) {
          samples.push((await runSummary(db, run.runId))!);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const moving = samples.filter((s) => s.backendCalls.made > 0);
        expect(moving.length).toBeGreaterThan(0);
        expect(moving.at(-1)!.tokens.prompt).toBeGreaterThan(0);
        const etas = samples.map((s) => s.pace.etaSeconds).filter((eta): eta is number => eta !== null);
        expect(etas.length).toBeGreaterThan(0);
        expect(new Set(etas).size).toBeGreaterThan(1);
        // The calls counted per stage grow between polls within the first 10 s.
        expect(new Set(samples.map((s) => s.backendCalls.made)).size).toBeGreaterThan(2);

        // Texts finish at different times (a text kept none after judging ends early; tiers take different
        // paths); each shows as it finishes, long before the batch ends.
        const partial = await waitForRun(db, run.runId, 120_000, (s) => s.texts - s.pending > 0);
        expect(partial.pending).toBeGreaterThan(0);
        expect(partial.status).toBe("running");
        const done = await waitForRun(db, run.runId, 180_000);
        expect(done.status).toBe("completed");
        expect(done.kept + done.noneKept + done.failed).toBe(TEXTS);
        process.stdout.write(
          `2.5 s backend: first call counted after ${moving.length > 0 ? "≤10" : "?"} s, ETAs ${etas.slice(0, 5).join(", ")} s; ` +
            `first text shown with ${partial.pending} still pending\n`,
        );
      } finally {
        await worker.stop();
      }
    } finally {
      await simulator.close();
    }
  }, 300_000);
});
