import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { PUBMEDQA_FILE, pubmedqaAvailable } from "./support/pubmedqa";
import { startSimulator, type SimulatorHandle } from "../lib/simulator";
import { startSynthesisWorker, type SynthesisWorker } from "../workers/synthesis-worker";
import {
  importComparisonDataset,
  listComparisonDatasets,
  listJudgingFailures,
  scoreDistributions,
  startJudging,
  COMPARISON_FIELDS,
} from "../lib/comparison";

const QUESTIONS = 200;

/** The PubMedQA QUESTION fields as JSONL, with one line lacking the field (a rejection). */
function writeQuestions(dir: string): string {
  const raw = JSON.parse(readFileSync(PUBMEDQA_FILE, "utf8")) as Record<string, { QUESTION: string }>;
  const lines = Object.entries(raw)
    .slice(0, QUESTIONS)
    .map(([id, item]) => JSON.stringify({ id, question: item.QUESTION }));
  lines.splice(7, 0, JSON.stringify({ id: "broken" }));
  const file = join(dir, "pubmedqa-questions.jsonl");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

async function waitForJudging(db: TestDatabase, judgingId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = (await listComparisonDatasets(db)).find((d) => d.judging?.id === judgingId);
    if (row?.judging?.status === "completed") return row.judging;
    if (Date.now() > deadline) throw new Error(`judging ${judgingId} did not finish: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!pubmedqaAvailable())("dataset comparison: import and judge 200 PubMedQA questions against the simulator", () => {
  let db: TestDatabase;
  let simulator: SimulatorHandle;
  let worker: SynthesisWorker;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    simulator = await startSimulator({ port: 0, garbageRate: 0.3, seed: "comparison" });
    worker = await startSynthesisWorker(db, { concurrency: 4 });
    dir = mkdtempSync(join(tmpdir(), "finemed-comparison-"));
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await simulator?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("imports, judges through the call store, records failures and aggregates like a recomputation", async () => {
    const imported = await importComparisonDataset(db, {
      name: "PubMedQA questions",
      fileName: "pubmedqa-questions.jsonl",
      source: writeQuestions(dir),
      read: { format: "jsonl", textField: "question" },
      createdBy: "test",
    });
    expect(imported.imported).toBe(QUESTIONS);
    expect(imported.rejected).toBe(1);

    const judge = { baseUrl: simulator.url, model: "simulated/finemed-sim", maxInFlight: 32 };
    const started = await startJudging(db, imported.datasetId, { judge, batchSize: 40, outputRetries: 1 }, "test");
    expect(started).toMatchObject({ sampleSize: QUESTIONS, batchCount: 5 });
    const progress = await waitForJudging(db, started.judgingId, 120_000);
    expect(progress.judged + progress.failed).toBe(QUESTIONS);
    expect(progress.pending).toBe(0);
    expect(progress.failed).toBeGreaterThan(0);
    expect(progress.judged).toBeGreaterThan(QUESTIONS / 2);

    // Failures keep their reason and raw output, and no score is invented for them.
    const failures = await listJudgingFailures(db, started.judgingId, 1_000);
    expect(failures).toHaveLength(progress.failed);
    for (const failure of failures) expect(failure.reason).toBeTruthy();
    const invented = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM comparison_judgements WHERE judging_id = $1 AND valid = false AND (quality IS NOT NULL OR difficulty IS NOT NULL OR relevance IS NOT NULL)`,
      [started.judgingId],
    );
    expect(invented.rows[0]!.n).toBe(0);

    // Every call went through the call store, attributed to the judging and counted.
    const stored = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM backend_calls WHERE first_run_id = $1`, [
      started.judgingId,
    ]);
    expect(stored.rows[0]!.n).toBe(progress.callsMade);
    expect(progress.callsMade).toBeGreaterThanOrEqual(QUESTIONS);

    const rows = await db.pool.query<{ quality: number; difficulty: number; relevance: number }>(
      `SELECT quality, difficulty, relevance FROM comparison_judgements WHERE judging_id = $1 AND valid`,
      [started.judgingId],
    );
    for (const field of COMPARISON_FIELDS) {
      const values = rows.rows.map((row) => row[field]).sort((a, b) => a - b);
      const distribution = await scoreDistributions(db, field, [started.judgingId]);
      const series = distribution.series.find((s) => s.key === started.judgingId)!;
      expect(series.name).toBe("PubMedQA questions");
      expect(series.count).toBe(values.length);
      expect(series.mean).toBeCloseTo(values.reduce((sum, v) => sum + v, 0) / values.length, 9);
      expect(series.median).toBe(values[Math.ceil(values.length / 2) - 1]);
      const counts = new Map<number, number>();
      for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
      expect(series.buckets).toEqual([...counts.entries()].sort((a, b) => a[0] - b[0]).map(([score, count]) => ({ score, count })));
      // This database holds no FineMed run: its series is present and empty rather than invented.
      expect(distribution.series[0]).toMatchObject({ key: "finemed", count: 0, mean: null });
    }

    // The same seed draws the same sample, and judging it again answers every call from the store.
    const again = await startJudging(db, imported.datasetId, { judge, batchSize: 100, outputRetries: 1 }, "test");
    const repeated = await waitForJudging(db, again.judgingId, 60_000);
    expect(repeated.callsMade).toBe(0);
    expect(repeated.callsReused).toBeGreaterThanOrEqual(QUESTIONS);
    expect({ judged: repeated.judged, failed: repeated.failed }).toEqual({ judged: progress.judged, failed: progress.failed });
  }, 240_000);
});
