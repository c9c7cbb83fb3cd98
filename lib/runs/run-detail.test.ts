import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/support/test-database";
import { DEMO_CORPUS_NAME, seedDemoCorpus } from "../demo/seed-demo-corpus";
import { DEFAULT_PROMPTS, templateChecksum } from "../pipeline/prompts";
import { startSynthesisWorker } from "../../workers/synthesis-worker";
import { DEFAULT_SIM_MODEL, startSimulator, type SimulatorHandle } from "../simulator";
import { checkRunBackends } from "./backend-check";
import { createRun } from "./create-run";
import { runConfigSchema, singleServerRoles } from "./run-config";
import { runDetail, runFailures, runSnapshot, type FailedItem, type RunDetail } from "./run-detail";
import { listRunProgress } from "./run-list";
import { runSummary, type RunSummary } from "./run-summary";

const TEXTS = 20;
const SIM_LATENCY_MS = 5;

let db: TestDatabase;
let sim: SimulatorHandle;

function config() {
  // No output retries and some garbage: a share of the texts fails, with raw outputs to show.
  return runConfigSchema.parse({
    corpus: DEMO_CORPUS_NAME,
    limit: TEXTS,
    batchSize: 5,
    outputRetries: 0,
    seed: "run-detail",
    roles: singleServerRoles(sim.url, DEFAULT_SIM_MODEL, 16),
  });
}

async function runToCompletion(): Promise<RunSummary> {
  const { runId } = await createRun(db, config(), "test", { simulated: true });
  const worker = await startSynthesisWorker(db);
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const summary = await runSummary(db, runId);
      if (summary?.status === "completed") return summary;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not complete: ${JSON.stringify(summary)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await worker.stop();
  }
}

let first: RunSummary;
let firstDetail: RunDetail;
let second: RunSummary;
let secondDetail: RunDetail;

beforeAll(async () => {
  db = await openTestDatabase();
  const seeded = await seedDemoCorpus(db);
  if (!seeded || seeded.imported < TEXTS) throw new Error("the demo corpus did not load");
  sim = await startSimulator({ seed: "run-detail", latencyMs: SIM_LATENCY_MS, garbageRate: 0.08 });
  first = await runToCompletion();
  firstDetail = (await runDetail(db, first.runId))!;
  // The same run again: every call is already stored, so nothing is paid for twice.
  second = await runToCompletion();
  secondDetail = (await runDetail(db, second.runId))!;
}, 240_000);

afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}

describe("runDetail", () => {
  it("ends every text in one outcome, with some failed and some kept", () => {
    expect(first.texts).toBe(TEXTS);
    expect(first.pending).toBe(0);
    expect(first.kept + first.noneKept + first.failed).toBe(TEXTS);
    expect(first.failed).toBeGreaterThan(0);
    expect(first.kept).toBeGreaterThan(0);
  });

  it("gives per-stage calls, tokens, failures and latency that add up to the run's totals", () => {
    const stages = firstDetail.stages;
    expect(stages.slice(0, 2).map((stage) => stage.stage)).toEqual(["generation", "judgement"]);
    // The DPO row counts the calls of the two stages it pairs; the others count their own, adding up to the totals.
    const own = stages.filter((stage) => stage.callsOf === null);
    expect(sum(own, (s) => s.callsMade)).toBe(first.backendCalls.made);
    expect(sum(own, (s) => s.callsReused)).toBe(first.backendCalls.reused);
    expect(sum(own, (s) => s.promptTokens)).toBe(first.tokens.prompt);
    expect(sum(own, (s) => s.completionTokens)).toBe(first.tokens.completion);
    const dpo = stages.find((stage) => stage.stage === "dpo")!;
    const paired = stages.filter((stage) => stage.stage === "complex-reasoning" || stage.stage === "direct-answer");
    expect(dpo.callsOf).toEqual(["complex-reasoning", "direct-answer"]);
    expect(dpo.callsMade).toBe(sum(paired, (s) => s.callsMade));
    if (first.complex > 0) expect(dpo.callsMade + dpo.callsReused).toBeGreaterThan(0);
    // One recorded failure per failed text, at the stage where it stopped.
    expect(sum(stages, (s) => s.failures)).toBe(first.failed);
    for (const stage of stages) expect(stage.textsFailed).toBe(first.failedByStage[stage.stage] ?? 0);
    const generation = stages[0]!;
    // Every text asks once for its two instructions; reused calls are the demo corpus's duplicates.
    expect(generation.callsMade + generation.callsReused).toBe(TEXTS);
    expect(generation.meanLatencyMs).toBeGreaterThanOrEqual(SIM_LATENCY_MS);
    expect(generation.promptTokens).toBeGreaterThan(0);
    const judgement = stages[1]!;
    expect(judgement.callsMade + judgement.callsReused).toBe(2 * (TEXTS - (first.failedByStage.generation ?? 0)));
    for (const stage of stages) if (stage.callsMade === 0) expect(stage.meanLatencyMs).toBeNull();
  });

  it("buckets finished texts and the calls the run made by 10 seconds", async () => {
    const { throughput } = firstDetail;
    expect(throughput.bucketSeconds).toBe(10);
    expect(throughput.points.length).toBeGreaterThan(0);
    expect(throughput.points.length).toBeLessThanOrEqual(60);
    throughput.points.forEach((point, index) => {
      expect(point.at % 10).toBe(0);
      if (index > 0) expect(point.at - throughput.points[index - 1]!.at).toBe(10);
    });
    expect(sum(throughput.points, (p) => p.texts)).toBe(TEXTS);
    const stored = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM backend_calls WHERE first_run_id = $1`, [
      first.runId,
    ]);
    expect(stored.rows[0]!.n).toBeGreaterThan(0);
    expect(sum(throughput.points, (p) => p.calls)).toBe(stored.rows[0]!.n);
  });

  it("pages the failed items newest first, each with its stage, reason and raw output", async () => {
    const seen: FailedItem[] = [];
    let before: number | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page = await runFailures(db, first.runId, { before, limit: 3 });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      if (page.nextBefore === null) break;
      expect(page.items).toHaveLength(3);
      before = page.nextBefore;
    }
    expect(seen).toHaveLength(first.failed);
    const ids = seen.map((item) => item.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    const failedTexts = await db.pool.query<{ source_text_id: number; failed_stage: string; failure_reason: string }>(
      `SELECT source_text_id, failed_stage, failure_reason FROM run_texts WHERE run_id = $1 AND outcome = 'failed'`,
      [first.runId],
    );
    const byText = new Map(failedTexts.rows.map((row) => [Number(row.source_text_id), row]));
    for (const item of seen) {
      const text = byText.get(item.sourceTextId);
      expect(text, `failure ${item.id} points at a failed text`).toBeDefined();
      expect(item.stage).toBe(text!.failed_stage);
      expect(item.reason).toBe(text!.failure_reason);
      expect(item.reason.length).toBeGreaterThan(0);
    }
    // Garbage answers were received, so their raw text is kept.
    expect(
      seen.some((item) => item.rawOutput !== null && item.rawOutput.length > 0 && item.rawOutputLength === item.rawOutput.length),
    ).toBe(true);
    expect(firstDetail.failures.items.map((item) => item.id)).toEqual(ids.slice(0, 20));
    const huge = await runFailures(db, first.runId, { limit: 10_000 });
    expect(huge.items.length).toBe(Math.min(first.failed, 100));
  });

  it("lists the prompt versions the run used with their checksums", () => {
    expect(firstDetail.prompts).toHaveLength(DEFAULT_PROMPTS.length);
    expect(firstDetail.prompts.map((p) => p.key)).toEqual(DEFAULT_PROMPTS.map((p) => p.key));
    for (const prompt of firstDetail.prompts) {
      const original = DEFAULT_PROMPTS.find((p) => p.key === prompt.key)!;
      expect(prompt.version).toBe(1);
      expect(prompt.checksum).toBe(templateChecksum(original.template));
    }
  });

  it("shows the run's config with every role and no key values", () => {
    const view = firstDetail.config!;
    expect(view).toMatchObject({ limit: TEXTS, seed: "run-detail", batchSize: 5, outputRetries: 0, tierThreshold: 8 });
    expect(view.roles.map((role) => role.role)).toEqual(["generator", "judge", "reasoner", "classifier", "reward"]);
    for (const role of view.roles)
      expect(role).toMatchObject({ baseUrl: sim.url, model: DEFAULT_SIM_MODEL, apiKeyEnv: null, maxInFlight: 16 });
  });

  it("answers a repeated run from the call store without a new backend call", () => {
    expect(second.texts).toBe(TEXTS);
    expect({ kept: second.kept, noneKept: second.noneKept, failed: second.failed }).toEqual({
      kept: first.kept,
      noneKept: first.noneKept,
      failed: first.failed,
    });
    // Only the preflight's two checks (canary, reward shape) reach the server; they are never reused.
    const preflight = (detail: RunDetail) => detail.stages.find((stage) => stage.stage === "preflight")!;
    expect(preflight(secondDetail).callsMade).toBe(2);
    expect(second.backendCalls.made).toBe(2);
    expect(second.backendCalls.reused).toBe(first.backendCalls.made - preflight(firstDetail).callsMade + first.backendCalls.reused);
    expect(second.tokens.saved).toBeGreaterThan(0);
    expect(sum(secondDetail.throughput.points, (p) => p.calls)).toBe(0);
    expect(sum(secondDetail.throughput.points, (p) => p.texts)).toBe(TEXTS);
    for (const stage of secondDetail.stages) if (stage.stage !== "preflight") expect(stage.meanLatencyMs).toBeNull();
  });

  it("lists runs newest first with their outcome and call counts", async () => {
    const rows = await listRunProgress(db);
    expect(rows.map((row) => row.runId)).toEqual([second.runId, first.runId]);
    const row = rows[1]!;
    expect(row).toMatchObject({
      texts: TEXTS,
      done: TEXTS,
      kept: first.kept,
      noneKept: first.noneKept,
      failed: first.failed,
      callsMade: first.backendCalls.made,
      callsReused: first.backendCalls.reused,
      tokens: first.tokens.prompt + first.tokens.completion,
      simulated: true,
      status: "completed",
    });
  });

  it("returns a JSON-safe snapshot, and null for an unknown run", async () => {
    const snapshot = await runSnapshot(db, first.runId);
    expect(snapshot?.summary.status).toBe("completed");
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(await runSnapshot(db, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await runDetail(db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("checks the health of the run's one server once for all five roles", async () => {
    const health = await checkRunBackends(db, first.runId);
    expect(health).toHaveLength(1);
    expect(health![0]).toMatchObject({ ok: true, simulator: true, baseUrl: sim.url });
    expect(health![0]!.roles.map((role) => role.served)).toEqual([true, true, true, true, true]);
    expect(await checkRunBackends(db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});
