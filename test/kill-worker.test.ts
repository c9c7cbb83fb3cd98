import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { FINEMED_BIN } from "./support/cli";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [FINEMED_BIN, "worker", "--concurrency", "1", "--quiet"], {
    env: { ...env, FINEMED_WORKER_STALE_SECONDS: "4" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function finishedTexts(runId: string): Promise<number> {
  const result = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_texts WHERE run_id = $1 AND outcome <> 'pending'`, [
    runId,
  ]);
  return result.rows[0]!.n;
}

describe("a worker killed with SIGKILL mid-run", () => {
  it("loses nothing: a new worker completes the run, without duplicates, repeating at most the batch in flight", async () => {
    // 15 ms per call keeps a batch in flight long enough to be killed in the middle of it.
    const simulator = await startSimulator({ port: 0, latencyMs: 15, seed: "kill" });
    const batchSize = 20;
    try {
      await importPubmedqa(db, "pubmedqa-kill", 120);
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-kill",
        batchSize,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim"),
      });
      const run = await createRun(db, config, "test", { simulated: true });

      const first = startWorker(db.childEnv);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => first.once("exit", (_code, signal) => resolve(signal)));
      // Kill once at least one batch is committed and the next one is under way.
      await waitForRun(db, run.runId, 60_000, (s) => s.texts - s.pending >= batchSize);
      const servedBefore = simulator.stats().requests;
      for (let waited = 0; simulator.stats().requests === servedBefore && waited < 5_000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      first.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      const doneAtKill = await finishedTexts(run.runId);
      expect(doneAtKill).toBeLessThan(120);

      const second = startWorker(db.childEnv);
      try {
        const summary = await waitForRun(db, run.runId, 90_000);
        expect(summary.status).toBe("completed");
        expect(summary.pending).toBe(0);
        expect(summary.kept + summary.noneKept + summary.failed).toBe(120);
      } finally {
        second.kill("SIGTERM");
      }

      // No duplicate rows anywhere.
      const duplicates = await db.pool.query<{
        instructions: number;
        distinct_instructions: number;
        judgements: number;
        labels: number;
        distinct_labels: number;
      }>(
        `SELECT (SELECT count(*) FROM instructions WHERE run_id = $1)::int AS instructions,
                (SELECT count(DISTINCT (source_text_id, position)) FROM instructions WHERE run_id = $1)::int AS distinct_instructions,
                (SELECT count(*) FROM judgements WHERE run_id = $1)::int AS judgements,
                (SELECT count(*) FROM department_labels WHERE run_id = $1)::int AS labels,
                (SELECT count(DISTINCT (instruction_id, level)) FROM department_labels WHERE run_id = $1)::int AS distinct_labels`,
        [run.runId],
      );
      const counts = duplicates.rows[0]!;
      expect(counts.instructions).toBe(counts.distinct_instructions);
      expect(counts.instructions).toBe(240);
      expect(counts.judgements).toBe(240);
      expect(counts.labels).toBe(counts.distinct_labels);

      // Calls paid twice: the requests the server answered beyond the calls stored once each.
      const stored = await db.pool.query<{ chat: number; reward: number }>(
        `SELECT count(*) FILTER (WHERE endpoint = '/v1/chat/completions')::int AS chat, count(*) FILTER (WHERE role = 'reward')::int AS reward
           FROM backend_calls WHERE first_run_id = $1`,
        [run.runId],
      );
      const served = simulator.stats().byEndpoint["POST /v1/chat/completions"] ?? 0;
      const repeated = served - stored.rows[0]!.chat;
      // At most every call of the one batch in flight (≤ 7 chat calls per text).
      expect(repeated).toBeGreaterThanOrEqual(0);
      expect(repeated).toBeLessThanOrEqual(batchSize * 7);
      process.stdout.write(
        `kill -9 test: ${doneAtKill}/120 texts done at the kill, ${repeated} chat calls repeated (bound ${batchSize * 7})\n`,
      );
    } finally {
      await simulator.close();
    }
  }, 180_000);
});
