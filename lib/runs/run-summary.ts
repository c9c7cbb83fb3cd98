import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { runHealth, type RunHealth } from "./run-health";
import { runPace, type RunPace } from "./run-eta";

export interface RunSummary {
  runId: string;
  name: string;
  corpus: string;
  status: string;
  simulated: boolean;
  texts: number;
  pending: number;
  instructionsGenerated: number;
  judged: number;
  kept: number;
  noneKept: number;
  failed: number;
  failedByStage: Record<string, number>;
  common: number;
  complex: number;
  dpoPairs: number;
  labeled: number;
  backendCalls: { made: number; reused: number };
  tokens: { prompt: number; completion: number; saved: number };
  /** Blocked, stalled, retrying or ok: what the lifecycle status alone does not say. */
  health: RunHealth;
  /** Recent texts per minute and the time left at that pace. */
  pace: RunPace;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const count = z.number().int();
const runHeadRow = z.object({
  id: z.string(),
  name: z.string(),
  corpus: z.string(),
  status: z.string(),
  simulated: z.boolean(),
  created_at: z.date(),
  started_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});
const outcomeRow = z.object({ outcome: z.string(), tier: z.string().nullable(), n: count });
// A failed text always names the stage it failed at (synthesizeText sets both together).
const failedStageRow = z.object({ stage: z.string(), n: count });
const producedRow = z.object({ instructions: count, judged: count, dpo: count, labeled: count });
// The token sums are BIGINT: numbers through the int8 parser of lib/db/database.ts.
const usageRow = z.object({ made: count, reused: count, prompt: count, completion: count, saved: count });

/** The counts a curator (and `finemed run --wait --json`) reads off a run. */
export async function runSummary(db: Database, runId: string): Promise<RunSummary | null> {
  const [head] = await queryRows(
    db.pool,
    runHeadRow,
    `SELECT r.id, r.name, c.name AS corpus, r.status, r.simulated, r.created_at, r.started_at, r.finished_at
       FROM runs r JOIN corpora c ON c.id = r.corpus_id WHERE r.id = $1`,
    [runId],
  );
  if (!head) return null;
  const [outcomes, failedStages, produced, stats] = await Promise.all([
    queryRows(
      db.pool,
      outcomeRow,
      `SELECT outcome::text, tier, count(*)::int AS n FROM run_texts WHERE run_id = $1 GROUP BY outcome, tier`,
      [runId],
    ),
    queryRows(
      db.pool,
      failedStageRow,
      `SELECT failed_stage AS stage, count(*)::int AS n FROM run_texts WHERE run_id = $1 AND outcome = 'failed' GROUP BY failed_stage`,
      [runId],
    ),
    queryRows(
      db.pool,
      producedRow,
      `SELECT (SELECT count(*) FROM instructions WHERE run_id = $1)::int AS instructions,
              (SELECT count(*) FROM judgements WHERE run_id = $1 AND valid)::int AS judged,
              (SELECT count(*) FROM dpo_pairs WHERE run_id = $1)::int AS dpo,
              (SELECT count(*) FROM department_labels WHERE run_id = $1 AND level = 'secondary')::int AS labeled`,
      [runId],
    ),
    queryRows(
      db.pool,
      usageRow,
      `SELECT COALESCE(sum(calls_made), 0)::int AS made, COALESCE(sum(calls_reused), 0)::int AS reused,
              COALESCE(sum(prompt_tokens), 0)::bigint AS prompt, COALESCE(sum(completion_tokens), 0)::bigint AS completion,
              COALESCE(sum(tokens_saved), 0)::bigint AS saved
         FROM run_stage_stats WHERE run_id = $1`,
      [runId],
    ),
  ]);
  const count = (outcome: string, tier?: string) =>
    outcomes.filter((row) => row.outcome === outcome && (tier === undefined || row.tier === tier)).reduce((sum, row) => sum + row.n, 0);
  const total = outcomes.reduce((sum, row) => sum + row.n, 0);
  const usage = stats[0]!;
  const made = produced[0]!;
  const pending = count("pending");
  const [health, pace] = await Promise.all([
    runHealth(db, runId, { status: head.status, pending, startedAt: head.started_at }),
    runPace(db, runId, pending, head.started_at),
  ]);
  return {
    runId: head.id,
    name: head.name,
    corpus: head.corpus,
    status: head.status,
    simulated: head.simulated,
    texts: total,
    pending,
    instructionsGenerated: made.instructions,
    judged: made.judged,
    kept: count("kept"),
    noneKept: count("none_kept"),
    failed: count("failed"),
    failedByStage: Object.fromEntries(failedStages.map((row) => [row.stage, row.n])),
    common: count("kept", "common"),
    complex: count("kept", "complex"),
    dpoPairs: made.dpo,
    labeled: made.labeled,
    backendCalls: { made: usage.made, reused: usage.reused },
    tokens: { prompt: usage.prompt, completion: usage.completion, saved: usage.saved },
    health,
    pace,
    createdAt: head.created_at,
    startedAt: head.started_at,
    finishedAt: head.finished_at,
  };
}
