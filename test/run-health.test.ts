import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { FINEMED_BIN, runCli } from "./support/cli";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { expectOneOutcomePerText } from "./support/run-integrity";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";

const KEY_VARIABLE = "FINEMED_BACKEND_KEY_HEALTH_TEST";
const TEXTS = 30;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [FINEMED_BIN, "worker", "--concurrency", "2", "--quiet"], {
    env: { ...env, FINEMED_WORKER_STALE_SECONDS: "4", FINEMED_BLOCKED_RECHECK_SECONDS: "2" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function batchAttempts(runId: string): Promise<number> {
  const rows = await db.pool.query<{ most: number | null }>(
    `SELECT max(attempts)::int AS most FROM graphile_worker.jobs WHERE key LIKE $1 || ':%'`,
    [runId],
  );
  return rows.rows[0]?.most ?? 0;
}

describe("run health", () => {
  it("a worker without the run's API-key variable blocks the run within 60 s, naming the variable; a worker with it completes the run", async () => {
    const simulator = await startSimulator({ port: 0, latencyMs: 5, seed: "health", apiKey: "health-secret" });
    const withoutKey = { ...db.childEnv };
    delete withoutKey[KEY_VARIABLE];
    try {
      await importPubmedqa(db, "pubmedqa-health-key", TEXTS);
      const roles = Object.fromEntries(
        Object.entries(singleServerRoles(simulator.url, "simulated/finemed-sim")).map(([role, backend]) => [
          role,
          { ...backend, apiKeyEnv: KEY_VARIABLE },
        ]),
      );
      const config = runConfigSchema.parse({ corpus: "pubmedqa-health-key", batchSize: 10, roles });
      const run = await createRun(db, config, "test", { simulated: true });

      const blind = startWorker(withoutKey);
      const startedAt = Date.now();
      let blocked;
      try {
        blocked = await waitForRun(db, run.runId, 60_000, (s) => s.health.state === "blocked");
        expect(Date.now() - startedAt).toBeLessThan(60_000);
        expect(blocked.health.reason).toContain(`$${KEY_VARIABLE}`);
        expect(blocked.health.blockKind).toBe("missing-api-key");
        expect(blocked.health.worker).toContain(`:${blind.pid}`);
        expect(blocked.failed).toBe(0);
        // Let the parked batches check the condition again a few times: still no blind retries.
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        expect(await batchAttempts(run.runId)).toBeLessThanOrEqual(2);
        expect(simulator.stats().byEndpoint["POST /v1/chat/completions"] ?? 0).toBe(0);
        const again = await waitForRun(db, run.runId, 1_000, () => true);
        expect(again.health.state).toBe("blocked");
        expect(again.health.checks).toBeGreaterThan(1);

        // Where the user looks from a terminal.
        const shown = await runCli(["runs", "show", run.runId, "--json"], withoutKey);
        expect(shown.code).toBe(0);
        const summary = JSON.parse(shown.stdout) as { status: string; health: { state: string; reason: string; worker: string } };
        expect(summary.health.state).toBe("blocked");
        expect(summary.health.reason).toContain(`$${KEY_VARIABLE}`);
        const text = await runCli(["runs", "show", run.runId], withoutKey);
        expect(text.stdout).toContain(`blocked: `);
      } finally {
        await stopWorker(blind);
      }

      const fixed = startWorker({ ...withoutKey, [KEY_VARIABLE]: "health-secret" });
      try {
        const done = await waitForRun(db, run.runId, 120_000);
        expect(done.status).toBe("completed");
        expect(done.pending).toBe(0);
        expect(done.failed).toBe(0);
        expect(done.kept + done.noneKept).toBe(TEXTS);
        expect(done.health.state).toBe("ok");
        await expectOneOutcomePerText(db, run.runId, TEXTS);
      } finally {
        await stopWorker(fixed);
      }
      const health = await db.pool.query<{ block_kind: string | null }>(`SELECT block_kind FROM run_health WHERE run_id = $1`, [run.runId]);
      expect(health.rows[0]?.block_kind ?? null).toBeNull();
    } finally {
      await simulator.close();
    }
  }, 240_000);

  it("a refused API key (401) blocks the run without failing texts, and it resumes once the server accepts the key", async () => {
    let simulator = await startSimulator({ port: 0, latencyMs: 5, seed: "refused", apiKey: "the-old-key" });
    const port = simulator.port;
    process.env[KEY_VARIABLE] = "the-new-key";
    process.env.FINEMED_BLOCKED_RECHECK_SECONDS = "1";
    const worker = await startSynthesisWorker(db, { concurrency: 2 });
    try {
      await importPubmedqa(db, "pubmedqa-health-401", 20);
      const roles = Object.fromEntries(
        Object.entries(singleServerRoles(simulator.url, "simulated/finemed-sim")).map(([role, backend]) => [
          role,
          { ...backend, apiKeyEnv: KEY_VARIABLE },
        ]),
      );
      const run = await createRun(db, runConfigSchema.parse({ corpus: "pubmedqa-health-401", batchSize: 10, roles }), "test", {
        simulated: true,
      });
      const blocked = await waitForRun(db, run.runId, 60_000, (s) => s.health.state === "blocked");
      expect(blocked.health.blockKind).toBe("backend-refused");
      expect(blocked.health.reason).toMatch(/401/);
      expect(blocked.failed).toBe(0);
      expect(blocked.pending).toBe(20);

      // The key is rotated on the server: the parked batches' cheap check sees it and the run proceeds.
      await simulator.close();
      simulator = await startSimulator({ port, latencyMs: 5, seed: "refused", apiKey: "the-new-key" });
      const done = await waitForRun(db, run.runId, 90_000);
      expect(done.status).toBe("completed");
      expect(done.failed).toBe(0);
      expect(done.health.state).toBe("ok");
      await expectOneOutcomePerText(db, run.runId, 20);
    } finally {
      delete process.env[KEY_VARIABLE];
      delete process.env.FINEMED_BLOCKED_RECHECK_SECONDS;
      await worker.stop();
      await simulator.close();
    }
  }, 180_000);
});
