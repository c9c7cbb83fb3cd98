import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { expectOneOutcomePerText } from "./support/run-integrity";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";
import { circuitForBaseUrl } from "../lib/llm/circuit-breaker";
import { normalizeBaseUrl } from "../lib/llm/roles";

// A real minute by default (the "a backend down for a minute"); shorter only where asked.
const DOWN_SECONDS = Number(process.env.FINEMED_FAULT_BACKEND_DOWN_S ?? 60);
const TEXTS = 80;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/**
 * Stands on the backend's port while it is down, as a dead server behind a load balancer does: every
 * connection is accepted and reset at once. It counts them, which is how hard the studio knocked.
 */
async function deadBackend(port: number): Promise<{ connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    socket.on("error", () => undefined);
    socket.resetAndDestroy();
  });
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a backend down for a minute during a run", () => {
  it("opens the circuit (no hammering), fails no text for it, and completes once the backend is back", async () => {
    let simulator: SimulatorHandle = await startSimulator({ port: 0, latencyMs: 15, seed: "down" });
    const port = simulator.port;
    const url = simulator.url;
    const worker = await startSynthesisWorker(db, { concurrency: 2 });
    try {
      expect(await importPubmedqa(db, "pubmedqa-down", TEXTS)).toBe(TEXTS);
      // Calls give up on the open circuit after 10 s, well within the outage: without the batch going
      // back to the queue, every text in flight would be failed for it.
      const roles = Object.fromEntries(
        Object.entries(singleServerRoles(url, "simulated/finemed-sim")).map(([role, backend]) => [role, { ...backend, timeoutMs: 10_000 }]),
      );
      const config = runConfigSchema.parse({ corpus: "pubmedqa-down", batchSize: 10, roles });
      const run = await createRun(db, config, "test", { simulated: true });
      const before = await waitForRun(db, run.runId, 90_000, (s) => s.texts - s.pending >= 10);
      expect(before.pending).toBeGreaterThan(0);

      const breaker = circuitForBaseUrl(normalizeBaseUrl(url));
      const opensBefore = breaker.snapshot().opens;
      const servedBefore = simulator.stats().requests;
      await simulator.close();
      const dead = await deadBackend(port);
      const downAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, DOWN_SECONDS * 1000));
      const knocks = dead.connections();
      await dead.close();
      simulator = await startSimulator({ port, latencyMs: 15, seed: "down" });
      const during = await waitForRun(db, run.runId, 5_000, () => true);
      process.stdout.write(
        `backend down ${Math.round((Date.now() - downAt) / 1000)} s: ${knocks} connection attempts, circuit opened ${breaker.snapshot().opens - opensBefore} times, ` +
          `${before.texts - before.pending} texts done before, ${during.texts - during.pending} when it returned (${servedBefore} requests served before)\n`,
      );

      // The breaker opened and held the callers back: a handful of probes per cool-down, not every
      // in-flight call retrying on its own (that would be thousands in a minute).
      expect(breaker.snapshot().opens - opensBefore).toBeGreaterThan(0);
      expect(knocks).toBeLessThan(Math.max(60, DOWN_SECONDS * 3));

      const summary = await waitForRun(db, run.runId, 180_000);
      expect(summary.status).toBe("completed");
      expect(summary.pending).toBe(0);
      // An outage is not the texts' fault: none of them is failed for it.
      expect(summary.failed).toBe(0);
      expect(summary.kept + summary.noneKept).toBe(TEXTS);
      await expectOneOutcomePerText(db, run.runId, TEXTS);
      expect(simulator.stats().requests).toBeGreaterThan(0);
    } finally {
      await worker.stop();
      await simulator.close();
    }
  }, 420_000);
});
