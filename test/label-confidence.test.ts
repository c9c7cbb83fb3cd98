import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";
import { refreshSamples } from "../lib/samples";
import { reviewQueue } from "../lib/labels";
import { LOW_CONFIDENCE_BELOW, type ReviewItem } from "../lib/labels/review-queue";

// Issue 4 end to end: a real run against the simulator asks for logprobs on the classification calls,
// stores a confidence per label, and the review queue puts the unsure labels first.

const CORPUS = "pubmedqa-confidence";
let db: TestDatabase;
let sim: SimulatorHandle;
const runs: string[] = [];

async function synthesize(): Promise<string> {
  const config = runConfigSchema.parse({
    corpus: CORPUS,
    batchSize: 20,
    outputRetries: 1,
    roles: singleServerRoles(sim.url, "simulated/finemed-sim", 32),
  });
  const run = await createRun(db, config, "test", { simulated: true });
  const worker = await startSynthesisWorker(db, { concurrency: 4 });
  const summary = await waitForRun(db, run.runId, 150_000).finally(() => worker.stop());
  if (summary.status !== "completed") throw new Error(`the run ended ${summary.status}`);
  await refreshSamples(db, run.runId);
  return run.runId;
}

beforeAll(async () => {
  db = await openTestDatabase();
  sim = await startSimulator({ port: 0, garbageRate: 0.2, seed: "label-confidence" });
  await importPubmedqa(db, CORPUS, 60);
  runs.push(await synthesize());
}, 240_000);

afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

interface LabelRow {
  instruction_id: number;
  level: string;
  confidence: number | null;
  call_key: string;
  department: string | null;
}

async function labels(runId: string): Promise<LabelRow[]> {
  return (
    await db.pool.query<LabelRow>(
      `SELECT instruction_id, level, confidence, call_key, department FROM department_labels WHERE run_id = $1`,
      [runId],
    )
  ).rows;
}

describe("label confidence", () => {
  it("stores a confidence in (0, 1] on every department label, spread enough to carry signal", async () => {
    const rows = await labels(runs[0]!);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      // A secondary whose answer stayed unusable is kept unresolved (no department) with no confidence to give.
      if (row.confidence === null) {
        expect(row).toMatchObject({ level: "secondary", department: null });
        continue;
      }
      expect(row.confidence).toBeGreaterThan(0);
      expect(row.confidence).toBeLessThanOrEqual(1);
    }
    const values = rows.flatMap((r) => (r.confidence === null ? [] : [r.confidence]));
    expect(values.some((c) => c < LOW_CONFIDENCE_BELOW)).toBe(true);
    expect(values.some((c) => c >= 0.8)).toBe(true);
  });

  it("gives each sample the lower of its primary and secondary confidences", async () => {
    const rows = (
      await db.pool.query<{ model_confidence: number | null; p: number | null; s: number | null }>(
        `SELECT s.model_confidence, lp.confidence AS p, ls.confidence AS s
           FROM samples s
           LEFT JOIN department_labels lp ON lp.instruction_id = s.instruction_id AND lp.level = 'primary'
           LEFT JOIN department_labels ls ON ls.instruction_id = s.instruction_id AND ls.level = 'secondary'
          WHERE s.run_id = $1`,
        [runs[0]!],
      )
    ).rows;
    const labelled = rows.filter((r) => r.p !== null);
    expect(labelled.length).toBeGreaterThan(5);
    for (const row of labelled) expect(row.model_confidence).toBeCloseTo(Math.min(row.p!, row.s ?? Infinity), 12);
    for (const row of rows.filter((r) => r.p === null && r.s === null)) expect(row.model_confidence).toBeNull();
  });

  it("ranks a low-confidence sample above a high-confidence one with the same other signals", async () => {
    const page = await reviewQueue(db, { filters: { runIds: [runs[0]!] }, limit: 500 });
    const others = (item: ReviewItem): string => item.reasons.filter((r) => r !== "low classifier confidence").join("|");
    for (const item of page.items) {
      expect(item.reasons.includes("low classifier confidence")).toBe(item.confidence !== null && item.confidence < LOW_CONFIDENCE_BELOW);
    }
    const pair = page.items.flatMap((low, lowAt) =>
      low.reasons.includes("low classifier confidence")
        ? page.items
            .filter((high) => high.confidence !== null && high.confidence >= LOW_CONFIDENCE_BELOW && others(high) === others(low))
            .map((high) => ({ low, lowAt, high }))
        : [],
    )[0];
    expect(pair).toBeDefined();
    expect(pair!.low.score).toBe(pair!.high.score + 3);
    expect(pair!.lowAt).toBeLessThan(page.items.indexOf(pair!.high));
    // Every unsure, unreviewed kept sample is queued, whatever its other signals.
    const unsure = await db.pool.query<{ instruction_id: string }>(
      `SELECT instruction_id FROM samples WHERE run_id = $1 AND status = 'kept' AND curated_primary_id IS NULL AND model_confidence < $2`,
      [runs[0]!, LOW_CONFIDENCE_BELOW],
    );
    const queued = new Set(page.items.map((i) => String(i.sample.id)));
    expect(unsure.rows.length).toBeGreaterThan(0);
    for (const row of unsure.rows) expect(queued.has(String(row.instruction_id))).toBe(true);
  });

  it("replays the same confidence from the call store", async () => {
    runs.push(await synthesize());
    const first = new Map((await labels(runs[0]!)).map((r) => [`${r.call_key}:${r.level}`, r.confidence]));
    const shared = (await labels(runs[1]!)).filter((r) => first.has(`${r.call_key}:${r.level}`));
    expect(shared.length).toBeGreaterThan(5);
    // A shared call key is answered from the store (never asked again), so equal confidences prove the
    // stored response kept its logprobs.
    for (const row of shared) expect(row.confidence).toBe(first.get(`${row.call_key}:${row.level}`));
  }, 240_000);
});
