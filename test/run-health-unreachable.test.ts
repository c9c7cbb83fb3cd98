import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli } from "./support/cli";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { expectOneOutcomePerText } from "./support/run-integrity";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";

const TEXTS = 24;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/** A port nothing listens on: taken from the system, then let go. */
async function vacantPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("a run whose server is unreachable from the start", () => {
  it("is blocked within 60 s naming the role, the URL and the worker, and completes exactly once the server starts", async () => {
    const port = await vacantPort();
    const url = `http://127.0.0.1:${port}`;
    process.env.FINEMED_BLOCKED_RECHECK_SECONDS = "2";
    const worker = await startSynthesisWorker(db, { concurrency: 2 });
    let simulator: SimulatorHandle | null = null;
    try {
      await importPubmedqa(db, "pubmedqa-unreachable", TEXTS);
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-unreachable",
        batchSize: 6,
        roles: singleServerRoles(url, "simulated/finemed-sim"),
      });
      const startedAt = Date.now();
      const run = await createRun(db, config, "test", { simulated: true });

      const blocked = await waitForRun(db, run.runId, 60_000, (s) => s.health.state === "blocked");
      const blockedAfterMs = Date.now() - startedAt;
      process.stdout.write(`unreachable server: run blocked after ${(blockedAfterMs / 1000).toFixed(1)} s\n`);
      expect(blockedAfterMs).toBeLessThan(60_000);
      expect(blocked.health.blockKind).toBe("backend-unreachable");
      expect(blocked.health.reason).toMatch(
        new RegExp(`^role \\w+ at http://127\\.0\\.0\\.1:${port} is unreachable \\(connection refused`),
      );
      expect(blocked.health.worker).toContain(`:${process.pid}`);
      expect(blocked.failed).toBe(0);
      expect(blocked.pending).toBe(TEXTS);

      // Where the user looks from a terminal.
      const shown = await runCli(["runs", "show", run.runId, "--json"], db.childEnv);
      expect(shown.code).toBe(0);
      const summary = JSON.parse(shown.stdout) as { health: { state: string; reason: string; worker: string } };
      expect(summary.health.state).toBe("blocked");
      expect(summary.health.reason).toContain(`${url} is unreachable`);
      expect(summary.health.worker).toContain(`:${process.pid}`);

      // The parked batches check again cheaply; the run resumes by itself once something answers.
      simulator = await startSimulator({ port, latencyMs: 5, seed: "unreachable" });
      const done = await waitForRun(db, run.runId, 60_000);
      expect(done.status).toBe("completed");
      expect(done.pending).toBe(0);
      expect(done.failed).toBe(0);
      expect(done.kept + done.noneKept).toBe(TEXTS);
      expect(done.health.state).toBe("ok");
      await expectOneOutcomePerText(db, run.runId, TEXTS);
      // The preflight was not skipped for having met a dead server: it ran again once the server answered.
      expect(done.health.preflight?.servers[0]?.served).toContain("simulated/finemed-sim");
    } finally {
      delete process.env.FINEMED_BLOCKED_RECHECK_SECONDS;
      await worker.stop();
      await simulator?.close();
    }
  }, 110_000);

  it("a server gone mid-run (nothing listening any more) blocks the run within 60 s; its return completes it with no text lost or doubled", async () => {
    const texts = 40;
    let simulator = await startSimulator({ port: 0, latencyMs: 20, seed: "gone" });
    const port = simulator.port;
    process.env.FINEMED_BLOCKED_RECHECK_SECONDS = "2";
    const worker = await startSynthesisWorker(db, { concurrency: 2 });
    try {
      await importPubmedqa(db, "pubmedqa-gone", texts);
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-gone",
        batchSize: 8,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim"),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      await waitForRun(db, run.runId, 60_000, (s) => s.texts - s.pending >= 4);
      await simulator.close();
      const goneAt = Date.now();
      const blocked = await waitForRun(db, run.runId, 60_000, (s) => s.health.state === "blocked" || s.status === "completed");
      process.stdout.write(
        `server gone mid-run: blocked after ${((Date.now() - goneAt) / 1000).toFixed(1)} s (${blocked.pending} texts pending)\n`,
      );
      expect(blocked.status).toBe("running");
      expect(Date.now() - goneAt).toBeLessThan(60_000);
      expect(blocked.health.reason).toMatch(new RegExp(`at http://127\\.0\\.0\\.1:${port} is unreachable \\(connection refused`));
      expect(blocked.failed).toBe(0);

      simulator = await startSimulator({ port, latencyMs: 5, seed: "gone" });
      const done = await waitForRun(db, run.runId, 60_000);
      expect(done.status).toBe("completed");
      expect(done.failed).toBe(0);
      expect(done.kept + done.noneKept).toBe(texts);
      expect(done.health.state).toBe("ok");
      await expectOneOutcomePerText(db, run.runId, texts);
    } finally {
      delete process.env.FINEMED_BLOCKED_RECHECK_SECONDS;
      await worker.stop();
      await simulator.close();
    }
  }, 110_000);
});
