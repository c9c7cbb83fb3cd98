import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { importPubmedqa, waitForRun } from "./support/synthesis";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";
import { seededDraw } from "../lib/pipeline/algorithm1";
import { controlRun } from "../lib/runs/control-run";

type Judged = { quality: number; difficulty: number; relevance: number; details: boolean };

/** Algorithm 1 written again from the paper, apart from lib/pipeline, to check the stored decisions. */
function paperAlgorithm1(a: Judged, b: Judged, draw: number | null): "A" | "B" | null {
  if (a.details && !b.details) return "B";
  if (b.details && !a.details) return "A";
  if (a.details && b.details) return null;
  const keys: ((j: Judged) => number)[] = [
    (j) => j.quality + j.difficulty + j.relevance,
    (j) => j.quality + j.difficulty,
    (j) => j.quality,
  ];
  for (const key of keys) if (key(a) !== key(b)) return key(a) > key(b) ? "A" : "B";
  if (draw === null) throw new Error("a full tie must carry its recorded draw");
  return draw >>> 31 === 0 ? "A" : "B";
}

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe("a synthesis run over 200 PubMedQA abstracts with 10% backend faults", () => {
  it("ends every text in exactly one recorded outcome, and Algorithm 1 and tiering agree 100%", async () => {
    const simulator = await startSimulator({ port: 0, failRate: 0.1, garbageRate: 0.1, seed: "faults", retryAfterSeconds: 1 });
    try {
      expect(await importPubmedqa(db, "pubmedqa-200", 200)).toBe(200);
      const config = runConfigSchema.parse({
        corpus: "pubmedqa-200",
        batchSize: 50,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim", 64),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      expect(run).toMatchObject({ textCount: 200, batchCount: 4 });
      const worker = await startSynthesisWorker(db, { concurrency: 4 });
      const summary = await waitForRun(db, run.runId, 120_000).finally(() => worker.stop());

      // The simulator did inject every kind of fault, and garbage.
      const stats = simulator.stats();
      expect(stats.faults["rate-limited"]).toBeGreaterThan(0);
      expect(stats.faults.unavailable).toBeGreaterThan(0);
      expect(stats.faults.dropped).toBeGreaterThan(0);
      expect(stats.garbageChoices).toBeGreaterThan(0);

      expect(summary.status).toBe("completed");
      expect(summary.texts).toBe(200);
      expect(summary.pending).toBe(0);
      expect(summary.kept + summary.noneKept + summary.failed).toBe(200);
      expect(summary.kept).toBeGreaterThan(100);
      expect(summary.common + summary.complex).toBe(summary.kept);
      expect(summary.complex).toBeGreaterThan(0);
      expect(summary.dpoPairs).toBe(summary.complex);
      expect(summary.labeled).toBe(summary.kept);

      // Exactly one outcome per text, and what each outcome promises is stored.
      const outcomes = await db.pool.query<{ n: number; distinct_texts: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT source_text_id)::int AS distinct_texts FROM run_texts WHERE run_id = $1`,
        [run.runId],
      );
      expect(outcomes.rows[0]).toEqual({ n: 200, distinct_texts: 200 });
      const incompleteKept = await db.pool.query(
        `SELECT t.source_text_id FROM run_texts t
          WHERE t.run_id = $1 AND t.outcome = 'kept' AND (
                t.kept_instruction_id IS NULL
             OR NOT EXISTS (SELECT 1 FROM responses r WHERE r.instruction_id = t.kept_instruction_id AND r.chosen)
             OR (SELECT count(*) FROM department_labels l WHERE l.instruction_id = t.kept_instruction_id) <> 2
             OR (t.tier = 'complex' AND NOT EXISTS (SELECT 1 FROM dpo_pairs d WHERE d.instruction_id = t.kept_instruction_id)))`,
        [run.runId],
      );
      expect(incompleteKept.rows).toEqual([]);
      const unexplainedFailures = await db.pool.query(
        `SELECT t.source_text_id FROM run_texts t WHERE t.run_id = $1 AND t.outcome = 'failed'
            AND (t.failure_reason IS NULL OR t.failed_stage IS NULL
                 OR NOT EXISTS (SELECT 1 FROM run_failures f WHERE f.run_id = t.run_id AND f.source_text_id = t.source_text_id))`,
        [run.runId],
      );
      expect(unexplainedFailures.rows).toEqual([]);

      // Algorithm 1 and tiering, recomputed from the stored judgements.
      const decisions = await db.pool.query<{
        source_text_id: number;
        outcome: string;
        kept_position: number | null;
        tier: string | null;
        rule: string;
        seed: string;
        draw: number | null;
        a: Judged;
        b: Judged;
      }>(
        `SELECT t.source_text_id, t.outcome::text, ki.position AS kept_position, t.tier, t.selection_rule AS rule, t.selection_seed AS seed, t.selection_draw AS draw,
                json_build_object('quality', ja.quality, 'difficulty', ja.difficulty, 'relevance', ja.relevance, 'details', ja.mentions_details) AS a,
                json_build_object('quality', jb.quality, 'difficulty', jb.difficulty, 'relevance', jb.relevance, 'details', jb.mentions_details) AS b
           FROM run_texts t
           JOIN instructions ia ON ia.run_id = t.run_id AND ia.source_text_id = t.source_text_id AND ia.position = 1
           JOIN instructions ib ON ib.run_id = t.run_id AND ib.source_text_id = t.source_text_id AND ib.position = 2
           JOIN judgements ja ON ja.instruction_id = ia.id AND ja.valid
           JOIN judgements jb ON jb.instruction_id = ib.id AND jb.valid
           LEFT JOIN instructions ki ON ki.id = t.kept_instruction_id
          WHERE t.run_id = $1 AND t.selection_rule IS NOT NULL`,
        [run.runId],
      );
      expect(decisions.rows.length).toBeGreaterThan(150);
      let agreed = 0;
      for (const row of decisions.rows) {
        if (row.draw !== null) expect(row.draw).toBe(seededDraw(row.seed));
        const expected = paperAlgorithm1(row.a, row.b, row.draw);
        const keptJudgement = expected === "A" ? row.a : expected === "B" ? row.b : null;
        const expectedTier = keptJudgement ? (keptJudgement.difficulty >= 8 ? "complex" : "common") : null;
        const storedKept = row.kept_position === 1 ? "A" : row.kept_position === 2 ? "B" : null;
        if (row.outcome === "none_kept") expect(expected).toBeNull();
        if (row.outcome === "kept") expect(storedKept).toBe(expected);
        expect(row.tier).toBe(expectedTier);
        agreed++;
      }
      expect(agreed).toBe(decisions.rows.length);
      expect(new Set(decisions.rows.map((row) => row.rule)).size).toBeGreaterThanOrEqual(3);
    } finally {
      await simulator.close();
    }
  }, 180_000);

  it("reuses every stored call when a run differs only in thresholds", async () => {
    const simulator = await startSimulator({ port: 0, seed: "reuse" });
    try {
      await importPubmedqa(db, "pubmedqa-reuse", 40);
      const roles = singleServerRoles(simulator.url, "simulated/finemed-sim");
      const first = await createRun(db, runConfigSchema.parse({ corpus: "pubmedqa-reuse", roles, batchSize: 20 }), "test", {
        simulated: true,
      });
      const worker = await startSynthesisWorker(db);
      try {
        const one = await waitForRun(db, first.runId, 60_000);
        expect(one.backendCalls.made).toBeGreaterThan(100);
        expect(one.backendCalls.reused).toBe(0);
        const chatServed = () => simulator.stats().byEndpoint["POST /v1/chat/completions"] ?? 0;
        const served = chatServed();
        // Same texts, same prompts; only the tier threshold changes, which alters some answers' prompts.
        const second = await createRun(
          db,
          runConfigSchema.parse({ corpus: "pubmedqa-reuse", roles, batchSize: 20, tierThreshold: 9 }),
          "test",
          { simulated: true },
        );
        const two = await waitForRun(db, second.runId, 60_000);
        expect(two.status).toBe("completed");
        expect(two.backendCalls.reused).toBeGreaterThanOrEqual(40 * 3);
        expect(two.tokens.saved).toBeGreaterThan(0);
        // Only the calls the summary counts as made reached the server (reward calls aside: /pooling), and
        // the preflight's one structured-output canary.
        const chatMade = await db.pool.query<{ n: number }>(
          `SELECT COALESCE(sum(calls_made), 0)::int AS n FROM run_stage_stats WHERE run_id = $1 AND stage NOT IN ('reward', 'preflight')`,
          [second.runId],
        );
        expect(chatServed() - served).toBe(chatMade.rows[0]!.n + 1);
        expect(two.backendCalls.made).toBeLessThan(one.backendCalls.made);
      } finally {
        await worker.stop();
      }
    } finally {
      await simulator.close();
    }
  }, 120_000);

  it("pauses between batches, resumes to completion, and cancels for good", async () => {
    const simulator = await startSimulator({ port: 0, latencyMs: 10, seed: "control" });
    try {
      await importPubmedqa(db, "pubmedqa-control", 100);
      const roles = singleServerRoles(simulator.url, "simulated/finemed-sim");
      const run = await createRun(db, runConfigSchema.parse({ corpus: "pubmedqa-control", roles, batchSize: 10 }), "test", {
        simulated: true,
      });
      let worker = await startSynthesisWorker(db, { concurrency: 1 });
      try {
        await waitForRun(db, run.runId, 60_000, (s) => s.texts - s.pending >= 10);
        expect(await controlRun(db, run.runId, "pause")).toEqual({ ok: true, status: "paused" });
        // The batch in flight may still finish (however slow the machine); nothing after it starts.
        let paused = await waitForRun(db, run.runId, 5_000, (s) => s.status === "paused");
        // Texts are written as they finish, so "settled" is: no batch of the run in flight, and no move since.
        for (let settled = false; !settled;) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          const inFlight = await db.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE $1 || ':%' AND locked_at IS NOT NULL`,
            [run.runId],
          );
          const again = await waitForRun(db, run.runId, 5_000, () => true);
          settled = again.pending === paused.pending && inFlight.rows[0]!.n === 0;
          paused = again;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const stillPaused = await waitForRun(db, run.runId, 5_000, () => true);
        expect(stillPaused.status).toBe("paused");
        expect(stillPaused.pending).toBe(paused.pending);
        expect(stillPaused.pending).toBeGreaterThan(0);
        expect(await controlRun(db, run.runId, "pause")).toEqual({ ok: false, reason: "cannot pause a run that is paused" });
        expect(await controlRun(db, run.runId, "resume")).toEqual({ ok: true, status: "running" });
        const done = await waitForRun(db, run.runId, 60_000);
        expect(done.status).toBe("completed");
        expect(done.pending).toBe(0);

        // Cancelled before any worker can take a batch (a batch already in flight would finish), then
        // offered to a worker: none of its batches may run.
        await worker.stop();
        const doomed = await createRun(
          db,
          runConfigSchema.parse({ corpus: "pubmedqa-control", roles, batchSize: 10, seed: "other" }),
          "test",
          { simulated: true },
        );
        expect(await controlRun(db, doomed.runId, "cancel")).toEqual({ ok: true, status: "cancelled" });
        worker = await startSynthesisWorker(db, { concurrency: 1 });
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const cancelled = await waitForRun(db, doomed.runId, 5_000, () => true);
        expect(cancelled.status).toBe("cancelled");
        expect(cancelled.pending).toBe(100);
        expect(await controlRun(db, doomed.runId, "resume")).toEqual({ ok: false, reason: "cannot resume a run that is cancelled" });
      } finally {
        await worker.stop();
      }
    } finally {
      await simulator.close();
    }
  }, 120_000);
});
