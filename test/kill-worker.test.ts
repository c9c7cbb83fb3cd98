import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { FINEMED_BIN } from "./support/cli";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { expectOneOutcomePerText } from "./support/run-integrity";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { RUN_BATCH_TASK } from "../lib/queue/jobs";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<NodeJS.Signals | null>;
  /** The texts each "batch N of run R: K texts" line reports, for batch N of run R, in order. */
  batchLines(runId: string, batch: number): number[];
}

function startWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, [FINEMED_BIN, "worker", "--concurrency", "1"], {
    env: { ...env, FINEMED_WORKER_STALE_SECONDS: "4" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  return {
    child,
    exited,
    batchLines: (runId, batch) =>
      [...out.matchAll(/^batch (\d+) of run ([0-9a-f-]+): (\d+) texts$/gm)]
        .filter((m) => m[2] === runId && Number(m[1]) === batch)
        .map((m) => Number(m[3])),
  };
}

async function finishedTexts(runId: string): Promise<number> {
  const result = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_texts WHERE run_id = $1 AND outcome <> 'pending'`, [
    runId,
  ]);
  return result.rows[0]!.n;
}

/**
 * The run's batches whose queue job is locked by a worker of process `pid` (its heartbeat names its
 * ids) while texts of the batch are still pending: what that process has in flight.
 */
async function batchesInFlight(runId: string, pid: number): Promise<{ batch: number; pending: number }[]> {
  const result = await db.pool.query<{ batch: number; pending: number }>(
    `SELECT b.batch, (SELECT count(*) FROM run_texts t WHERE t.run_id = $1 AND t.batch = b.batch AND t.outcome = 'pending')::int AS pending
       FROM graphile_worker.jobs j CROSS JOIN LATERAL (SELECT split_part(j.key, ':', 2)::int AS batch) b
      WHERE j.task_identifier = $3 AND j.key LIKE $1 || ':%' AND j.locked_at IS NOT NULL
        AND j.locked_by IN (SELECT worker_id FROM worker_heartbeats WHERE pid = $2)`,
    [runId, pid, RUN_BATCH_TASK],
  );
  return result.rows.filter((row) => row.pending > 0);
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
      // Kill once at least one batch is committed and the next one is claimed by the worker with at least
      // half its texts left, so the kill lands well inside the batch rather than racing its last write.
      await waitForRun(db, run.runId, 60_000, (s) => s.texts - s.pending >= batchSize);
      const wellInside = async () => (await batchesInFlight(run.runId, first.child.pid!)).some((b) => b.pending >= batchSize / 2);
      for (let waited = 0; !(await wellInside()) && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      first.child.kill("SIGKILL");
      expect(await first.exited).toBe("SIGKILL");
      // Read after the death, before any other worker runs, so the state is the one the kill left: the
      // dead worker still holds the lock of exactly one batch (concurrency 1) with texts left to do.
      // Killing an idle worker, or one between batches, leaves no such batch and fails here.
      const inFlight = await batchesInFlight(run.runId, first.child.pid!);
      expect(inFlight).toHaveLength(1);
      const { batch: killedBatch, pending: pendingAtKill } = inFlight[0]!;
      expect(pendingAtKill).toBeGreaterThan(0);
      const doneAtKill = await finishedTexts(run.runId);
      expect(doneAtKill).toBeLessThan(120);

      const second = startWorker(db.childEnv);
      try {
        const summary = await waitForRun(db, run.runId, 90_000);
        expect(summary.status).toBe("completed");
        expect(summary.pending).toBe(0);
        expect(summary.kept + summary.noneKept + summary.failed).toBe(120);
      } finally {
        second.child.kill("SIGTERM");
      }
      // Its lines are all out once it has exited.
      await second.exited;
      await expectOneOutcomePerText(db, run.runId, 120);

      // The other worker did the killed batch again, once, finishing exactly the texts left pending.
      expect(second.batchLines(run.runId, killedBatch)).toEqual([pendingAtKill]);
      const killed = await db.pool.query<{
        texts: number;
        instructions: number;
        distinct_instructions: number;
        samples: number;
        final: number;
      }>(
        `SELECT count(DISTINCT t.source_text_id)::int AS texts, count(i.id)::int AS instructions,
                count(DISTINCT (i.source_text_id, i.position))::int AS distinct_instructions,
                count(s.instruction_id)::int AS samples, count(s.instruction_id) FILTER (WHERE s.status <> 'pending')::int AS final
           FROM run_texts t LEFT JOIN instructions i ON i.run_id = t.run_id AND i.source_text_id = t.source_text_id
                LEFT JOIN samples s ON s.instruction_id = i.id
          WHERE t.run_id = $1 AND t.batch = $2`,
        [run.runId, killedBatch],
      );
      const batchRows = killed.rows[0]!;
      expect(batchRows.texts).toBe(batchSize);
      expect(batchRows.instructions).toBe(batchSize * 2);
      expect(batchRows.distinct_instructions).toBe(batchRows.instructions);
      expect(batchRows.samples).toBe(batchRows.instructions);
      expect(batchRows.final).toBe(batchRows.samples);

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
        `kill -9 test: batch ${killedBatch} in flight at the kill with ${pendingAtKill}/${batchSize} texts pending, ` +
          `${doneAtKill}/120 texts done, ${repeated} chat calls repeated (bound ${batchSize * 7})\n`,
      );
    } finally {
      await simulator.close();
    }
  }, 180_000);
});
