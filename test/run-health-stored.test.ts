import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runHealth } from "../lib/runs/run-health";
import type { RunPreflight } from "../lib/runs/run-preflight";

// run_health keeps JSON a worker wrote (the preflight, the adaptive limits per server): the run page
// reads it through a schema, so what fits comes back whole and what an older studio wrote shows as nothing.

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

async function store(preflight: unknown, concurrency: unknown): Promise<string> {
  const runId = randomUUID();
  await db.pool.query(`INSERT INTO run_health (run_id, preflight, concurrency) VALUES ($1, $2::jsonb, $3::jsonb)`, [
    runId,
    JSON.stringify(preflight),
    JSON.stringify(concurrency),
  ]);
  return runId;
}

const finished = { status: "completed", pending: 0, startedAt: null };

describe("a run's stored health", () => {
  it("comes back as the worker wrote it: the preflight and the limits per server", async () => {
    const preflight: RunPreflight = {
      checkedAt: "2026-12-06T10:00:00.000Z",
      servers: [
        {
          baseUrl: "http://127.0.0.1:8000",
          roles: ["generator", "judge", "reward"],
          served: ["m"],
          missing: [],
          schemas: { enforced: true, detail: "ok", call: { promptTokens: 10, completionTokens: 5, latencyMs: 12 } },
          reward: { ok: true, detail: "a score" },
          kvCache: { usage: 0.25, metric: "vllm:kv_cache_usage_perc", requestsWaiting: 0 },
          problem: null,
        },
      ],
      notes: ["a note"],
    };
    const servers = { "http://127.0.0.1:8000": { limit: 8, ceiling: 64, inFlight: 2, waiting: 0, decreases: 1, roles: ["generator"] } };
    const runId = await store(preflight, { at: "2026-12-06T10:01:00.000Z", servers });
    const health = await runHealth(db, runId, finished);
    expect(health.preflight).toEqual(preflight);
    expect(health.concurrency).toEqual({ at: "2026-12-06T10:01:00.000Z", servers });
  });

  it("shows nothing for the preflight's claim marker or limits written per role by an older studio", async () => {
    const runId = await store({ pending: true }, { at: "2026-12-06T10:01:00.000Z", roles: { generator: { limit: 8 } } });
    const health = await runHealth(db, runId, finished);
    expect(health.preflight).toBeNull();
    expect(health.concurrency).toBeNull();
  });
});
