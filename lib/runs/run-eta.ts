import type { Database } from "../db/database";

export interface RunPace {
  /** Texts finished per minute over the recent window; null before enough texts finished to tell. */
  textsPerMinute: number | null;
  /** Seconds until the pending texts are done at that pace; null when unknown. */
  etaSeconds: number | null;
  windowSeconds: number;
}

const WINDOW_SECONDS = 120;

/**
 * The recent pace of a run, measured from when its texts finished: the window starts at the later of
 * (now − 2 min) and the run's start, so the first seconds of a run already give an estimate.
 */
export async function runPace(db: Database, runId: string, pending: number, startedAt: Date | null): Promise<RunPace> {
  const rows = await db.pool.query<{ n: number; span: number | null }>(
    `SELECT count(*)::int AS n,
            EXTRACT(EPOCH FROM (now() - GREATEST(now() - make_interval(secs => $2), $3::timestamptz)))::float8 AS span
       FROM run_texts WHERE run_id = $1 AND finished_at > GREATEST(now() - make_interval(secs => $2), $3::timestamptz)`,
    [runId, WINDOW_SECONDS, startedAt ?? new Date(0)],
  );
  const row = rows.rows[0];
  const finished = row?.n ?? 0;
  const span = row?.span ?? 0;
  if (finished === 0 || span <= 0) return { textsPerMinute: null, etaSeconds: pending === 0 ? 0 : null, windowSeconds: WINDOW_SECONDS };
  const perSecond = finished / Math.max(span, 1);
  return {
    textsPerMinute: Math.round(perSecond * 600) / 10,
    etaSeconds: pending === 0 ? 0 : Math.round(pending / perSecond),
    windowSeconds: WINDOW_SECONDS,
  };
}
