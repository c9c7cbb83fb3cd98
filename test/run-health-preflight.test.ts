import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
  await importPubmedqa(db, "pubmedqa-preflight", 6);
});

afterAll(async () => {
  await db?.drop();
});

function rolesAt(url: string, model = "simulated/finemed-sim", structuredOutputs = false) {
  return Object.fromEntries(
    Object.entries(singleServerRoles(url, model)).map(([role, backend]) => [role, { ...backend, structuredOutputs }]),
  );
}

describe("preflight before the first paid call", () => {
  it("detects a server that ignores JSON schemas (simulator --ignore-schemas) and says what the run does", async () => {
    const simulator = await startSimulator({
      port: 0,
      latencyMs: 2,
      seed: "ignore",
      ignoreSchemas: true,
      kvCacheMetric: "vllm:gpu_cache_usage_perc",
    });
    const worker = await startSynthesisWorker(db, { concurrency: 1 });
    try {
      const config = runConfigSchema.parse({ corpus: "pubmedqa-preflight", batchSize: 10, roles: rolesAt(simulator.url, undefined, true) });
      const run = await createRun(db, config, "test", { simulated: true });
      const done = await waitForRun(db, run.runId, 60_000);
      expect(done.status).toBe("completed");
      const preflight = done.health.preflight!;
      expect(preflight.servers).toHaveLength(1);
      const server = preflight.servers[0]!;
      expect(server.schemas?.enforced).toBe(false);
      expect(server.schemas?.detail).toMatch(/ignored the schema/);
      expect(server.reward?.ok).toBe(true);
      // The older name of the KV-cache gauge is read too.
      expect(server.kvCache?.metric).toBe("vllm:gpu_cache_usage_perc");
      expect(preflight.notes.join("\n")).toMatch(
        /ignores JSON schemas .*parsed and validated after the fact; an invalid one is asked again up to 2 times/,
      );
      // The canary and the reward check are counted like any call.
      const stages = await db.pool.query<{ calls_made: number }>(
        `SELECT calls_made FROM run_stage_stats WHERE run_id = $1 AND stage = 'preflight'`,
        [run.runId],
      );
      expect(stages.rows[0]?.calls_made).toBe(2);
    } finally {
      await worker.stop();
      await simulator.close();
    }
  }, 120_000);

  it("finds schemas enforced on the default simulator, and reads vLLM V1's KV-cache name", async () => {
    const simulator = await startSimulator({ port: 0, latencyMs: 2, seed: "enforce" });
    const worker = await startSynthesisWorker(db, { concurrency: 1 });
    try {
      const config = runConfigSchema.parse({ corpus: "pubmedqa-preflight", batchSize: 10, seed: "enforce", roles: rolesAt(simulator.url) });
      const run = await createRun(db, config, "test", { simulated: true });
      const done = await waitForRun(db, run.runId, 60_000);
      const server = done.health.preflight!.servers[0]!;
      expect(server.schemas?.enforced).toBe(true);
      expect(server.kvCache?.metric).toBe("vllm:kv_cache_usage_perc");
      expect(done.health.preflight!.notes.join("\n")).toMatch(/enforces JSON schemas: turning structuredOutputs on/);
    } finally {
      await worker.stop();
      await simulator.close();
    }
  }, 120_000);

  it("blocks a run whose model the server does not serve before any chat call", async () => {
    const simulator = await startSimulator({ port: 0, latencyMs: 2, seed: "missing" });
    const worker = await startSynthesisWorker(db, { concurrency: 1 });
    try {
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-preflight",
        batchSize: 10,
        seed: "missing",
        roles: rolesAt(simulator.url, "org/not-served"),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      const blocked = await waitForRun(db, run.runId, 60_000, (s) => s.health.state === "blocked");
      expect(blocked.health.blockKind).toBe("model-not-served");
      expect(blocked.health.reason).toContain("org/not-served");
      expect(blocked.failed).toBe(0);
      expect(simulator.stats().byEndpoint["POST /v1/chat/completions"] ?? 0).toBe(0);
    } finally {
      await worker.stop();
      await simulator.close();
    }
  }, 120_000);
});
