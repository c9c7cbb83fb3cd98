import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

export interface RunPace {
  /** Texts finished per minute over the recent window; null before any finished in it. */
  textsPerMinute: number | null;
  /** Backend calls made per minute over the recent window; null before the first. */
  callsPerMinute: number | null;
  /** Seconds until the pending texts are done at the recent pace; null when unknown. */
  etaSeconds: number | null;
  /** What the estimate rests on: finished texts once a few finished, the call rate before. */
  basis: "texts" | "calls" | null;
  windowSeconds: number;
}

const WINDOW_SECONDS = 120;
// A text costs about seven calls (two instructions, two judgements, answers and a reward or reasoning
// and a direct answer, two classifications); used only until the run's own figure is known.
const CALLS_PER_TEXT_PRIOR = 7;
const TEXTS_FOR_TEXT_RATE = 5;

const paceRow = z.object({
  texts: z.number().int(),
  calls: z.number().int(),
  span: z.number(),
  finished_total: z.number().int(),
  calls_total: z.number().int(),
});

/**
 * The recent pace of a run and its ETA. The window starts at the later of (now − 2 min) and the run's
 * start. Before a few texts finished (a text takes several sequential calls, tens of seconds on a slow
 * backend), the ETA comes from the call rate and the calls a text needs, so it moves from the first calls.
 */
export async function runPace(db: Database, runId: string, pending: number, startedAt: Date | null): Promise<RunPace> {
  const [row] = await queryRows(
    db.pool,
    paceRow,
    `WITH w AS (SELECT GREATEST(now() - make_interval(secs => $2), $3::timestamptz) AS since)
     SELECT (SELECT count(*) FROM run_texts, w WHERE run_id = $1 AND finished_at > w.since)::int AS texts,
            (SELECT count(*) FROM backend_calls, w WHERE first_run_id = $1 AND created_at > w.since)::int AS calls,
            (SELECT count(*) FROM run_texts WHERE run_id = $1 AND outcome <> 'pending')::int AS finished_total,
            (SELECT COALESCE(sum(calls_made + calls_reused), 0) FROM run_stage_stats WHERE run_id = $1)::int AS calls_total,
            EXTRACT(EPOCH FROM (now() - (SELECT since FROM w)))::float8 AS span`,
    [runId, WINDOW_SECONDS, startedAt ?? new Date()],
  );
  const none: RunPace = {
    textsPerMinute: null,
    callsPerMinute: null,
    etaSeconds: pending === 0 ? 0 : null,
    basis: null,
    windowSeconds: WINDOW_SECONDS,
  };
  if (!row || startedAt === null) return none;
  const span = Math.max(row.span, 1);
  const textsPerSecond = row.texts / span;
  const callsPerSecond = row.calls / span;
  const pace: RunPace = {
    ...none,
    textsPerMinute: row.texts > 0 ? Math.round(textsPerSecond * 600) / 10 : null,
    callsPerMinute: row.calls > 0 ? Math.round(callsPerSecond * 600) / 10 : null,
  };
  if (pending === 0) return { ...pace, etaSeconds: 0 };
  if (row.texts >= TEXTS_FOR_TEXT_RATE) return { ...pace, etaSeconds: Math.round(pending / textsPerSecond), basis: "texts" };
  if (row.calls > 0) {
    const perText = row.finished_total >= TEXTS_FOR_TEXT_RATE ? Math.max(1, row.calls_total / row.finished_total) : CALLS_PER_TEXT_PRIOR;
    const total = (row.finished_total + pending) * perText;
    const remaining = Math.max(total - row.calls_total, pending);
    return { ...pace, etaSeconds: Math.round(remaining / callsPerSecond), basis: "calls" };
  }
  return pace;
}
