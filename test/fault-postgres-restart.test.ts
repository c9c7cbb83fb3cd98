import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "../lib/db/database";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { runSummary, type RunSummary } from "../lib/runs/run-summary";
import { FINEMED_BIN } from "./support/cli";
import { importPubmedqa } from "./support/synthesis";
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from "./support/private-postgres";
import { createServerDatabase } from "./support/test-database";
import { expectOneOutcomePerText } from "./support/run-integrity";

// The server is restarted under a running worker, so it is a private one: the shared server other
// test files use must not go down. Without the postgresql-15 package (or root) this cannot run.
const available = privatePostgresAvailable();
const DOWN_MS = 5_000;

let server: PrivatePostgres;
let db: Database;
let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  if (!available) return;
  server = await startPrivatePostgres();
  const created = await createServerDatabase(server.url);
  dropDatabase = () => created.drop();
  db = await connectDatabase({ url: created.url });
});

afterAll(async () => {
  await db?.close();
  await dropDatabase?.().catch(() => undefined);
  await server?.destroy();
});

/** The run's summary; a query that meets the server mid-restart is simply asked again. */
async function pollRun(runId: string, timeoutMs: number, until: (s: RunSummary) => boolean): Promise<RunSummary> {
  const deadline = Date.now() + timeoutMs;
  let last: RunSummary | null = null;
  for (;;) {
    try {
      last = await runSummary(db, runId);
      if (last && until(last)) return last;
    } catch {
      // The server is restarting; the pool hands out a fresh connection next time.
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} not there in ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function startWorker(env: NodeJS.ProcessEnv, log: string[]): ChildProcess {
  const child = spawn(process.execPath, [FINEMED_BIN, "worker", "--concurrency", "2"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  return child;
}

describe.skipIf(!available)("PostgreSQL restarted during a run", () => {
  it("the worker reconnects and the run completes, every text in exactly one outcome, no duplicates", async () => {
    // 20 ms per call: the run lasts long enough to be mid-flight when the server goes down.
    const simulator = await startSimulator({ port: 0, latencyMs: 20, seed: "pg-restart" });
    const log: string[] = [];
    let worker: ChildProcess | null = null;
    try {
      expect(await importPubmedqa(db, "pubmedqa-restart", 120)).toBe(120);
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-restart",
        batchSize: 10,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim"),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      worker = startWorker({ ...process.env, DATABASE_URL: db.url, FINEMED_WORKER_STALE_SECONDS: "6" }, log);
      const exited = new Promise<string>((resolve) => worker!.once("exit", (code, signal) => resolve(`exit ${code ?? signal}`)));

      const before = await pollRun(run.runId, 90_000, (s) => s.texts - s.pending >= 20);
      expect(before.pending).toBeGreaterThan(0);
      // Down for a while, not just the blink of `pg_ctl restart`: the worker's queries, its heartbeat
      // and the queue's own bookkeeping all meet a refused connection before the server returns.
      const stoppedAt = Date.now();
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
      await server.start();
      process.stdout.write(`postgres stopped for ${Date.now() - stoppedAt} ms with ${before.texts - before.pending}/120 texts done\n`);

      const summary = await Promise.race([
        pollRun(run.runId, 120_000, (s) => ["completed", "failed", "cancelled"].includes(s.status)),
        exited.then((how) => Promise.reject(new Error(`the worker died after the restart (${how}):\n${log.join("")}`))),
      ]);
      expect(summary.status).toBe("completed");
      expect(summary.pending).toBe(0);
      expect(summary.kept + summary.noneKept + summary.failed).toBe(120);
      // No backend fault was injected: the restart must not have failed any text.
      expect(summary.failed).toBe(0);
      await expectOneOutcomePerText(db, run.runId, 120);
      expect(worker.exitCode).toBeNull();
      // The same worker process did the rest: it printed batches after the server came back.
      expect(log.join("")).toMatch(/batch \d+ of run/);
    } catch (error) {
      process.stdout.write(`worker output:\n${log.join("")}\n`);
      throw error;
    } finally {
      worker?.kill("SIGTERM");
      await simulator.close();
    }
  }, 240_000);
});
