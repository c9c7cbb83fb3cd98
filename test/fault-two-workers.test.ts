import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { FINEMED_BIN } from "./support/cli";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { expectOneOutcomePerText } from "./support/run-integrity";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";

const TEXTS = 120;
const BATCH_SIZE = 5;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

interface WorkerProcess {
  child: ChildProcess;
  /** Batch numbers this worker processed with texts in them, from its "batch N of run R: K texts" lines. */
  batches(runId: string): number[];
  output(): string;
}

function startWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, [FINEMED_BIN, "worker", "--concurrency", "2"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  return {
    child,
    output: () => out,
    batches: (runId) =>
      [...out.matchAll(/^batch (\d+) of run ([0-9a-f-]+): (\d+) texts$/gm)]
        .filter((m) => m[2] === runId && Number(m[3]) > 0)
        .map((m) => Number(m[1])),
  };
}

async function ready(worker: WorkerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!/worker \d+ ready/.test(worker.output())) {
    if (worker.child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("two worker processes on one run", () => {
  it("share it: every batch processed once, by one of them, both did work, no duplicates, no call paid twice", async () => {
    // 10 ms per call keeps each batch in flight long enough for the two to interleave.
    const simulator = await startSimulator({ port: 0, latencyMs: 10, seed: "two-workers" });
    const env = { ...db.childEnv, FINEMED_WORKER_STALE_SECONDS: "15" };
    const workers = [startWorker(env), startWorker(env)];
    try {
      await Promise.all(workers.map(ready));
      expect(await importPubmedqa(db, "pubmedqa-two", TEXTS)).toBe(TEXTS);
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-two",
        batchSize: BATCH_SIZE,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim"),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      const summary = await waitForRun(db, run.runId, 150_000);
      expect(summary.status).toBe("completed");
      expect(summary.kept + summary.noneKept + summary.failed).toBe(TEXTS);
      await expectOneOutcomePerText(db, run.runId, TEXTS);

      // Each batch appears once across both workers' logs, and both took some.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [a, b] = workers.map((worker) => worker.batches(run.runId));
      process.stdout.write(`two workers: ${a!.length} and ${b!.length} of ${TEXTS / BATCH_SIZE} batches\n`);
      expect(a!.length).toBeGreaterThan(0);
      expect(b!.length).toBeGreaterThan(0);
      const all = [...a!, ...b!].sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: TEXTS / BATCH_SIZE }, (_, i) => i));

      // No backend call was paid twice: every chat request the server answered is stored once, beside the
      // preflight's structured-output canary and reward check (counted in the run's stage stats, never stored).
      const stored = await db.pool.query<{ chat: number; canary: number }>(
        `SELECT count(*) FILTER (WHERE endpoint = '/v1/chat/completions')::int AS chat,
                (SELECT COALESCE(sum(calls_made), 0) FROM run_stage_stats WHERE run_id = $1 AND stage = 'preflight')::int AS canary
           FROM backend_calls WHERE first_run_id = $1`,
        [run.runId],
      );
      expect(stored.rows[0]!.canary).toBe(2);
      expect(simulator.stats().byEndpoint["POST /v1/chat/completions"] ?? 0).toBe(stored.rows[0]!.chat + 1);
    } finally {
      for (const worker of workers) worker.child.kill("SIGTERM");
      await simulator.close();
    }
  }, 240_000);
});
