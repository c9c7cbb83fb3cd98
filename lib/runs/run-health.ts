import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { BLOCK_KINDS, type RunBlock } from "./run-block";
import { RUN_BATCH_TASK } from "../queue/jobs";
import { runPreflightSchema, type RunPreflight } from "./run-preflight";
import type { ServerConcurrencySnapshot } from "../llm/server-concurrency";

/**
 * How a run is doing beyond its lifecycle status: `blocked` (a configuration error a worker met, with the
 * reason and the worker), `stalled` (work left, no progress for a while, with the likely cause),
 * `retrying` (transient errors sent batches back; the count is shown) or `ok`.
 */
export interface RunHealth {
  state: "ok" | "retrying" | "blocked" | "stalled";
  /** What the user should read: the block's reason, the stall's likely cause, the last transient error. */
  reason: string | null;
  blockKind: string | null;
  /** host:pid of the worker that saw the block last. */
  worker: string | null;
  since: string | null;
  /** How many times parked batches checked the blocking condition again. */
  checks: number;
  /** Batches sent back to the queue by transient errors (server down, overloaded). */
  transientRetries: number;
  lastTransientError: string | null;
  /** When the last text finished (or the run started); null before either. */
  lastProgressAt: string | null;
  /** What the checks before the first paid call found; null before they ran. */
  preflight: RunPreflight | null;
  /** The adaptive concurrency per server (shown URL) as last written by a worker; null when no role adapts. */
  concurrency: { at: string; servers: Record<string, ServerConcurrencySnapshot> } | null;
}

/** No progress for this long, with work left, is a stall (FINEMED_RUN_STALL_SECONDS, default 120). */
export function stallAfterSeconds(): number {
  const value = Number(process.env.FINEMED_RUN_STALL_SECONDS ?? 120);
  return Number.isFinite(value) && value > 0 ? value : 120;
}

function workerStaleSeconds(): number {
  const value = Number(process.env.FINEMED_WORKER_STALE_SECONDS ?? 15);
  return Number.isFinite(value) && value > 0 ? value : 15;
}

export async function recordBlock(db: Database, runId: string, block: RunBlock, worker: string): Promise<void> {
  await db.pool.query(
    `INSERT INTO run_health AS h (run_id, block_kind, block_reason, block_worker, blocked_since, block_checks, block_checked_at, updated_at)
     VALUES ($1, $2, $3, $4, now(), 1, now(), now())
     ON CONFLICT (run_id) DO UPDATE SET
       block_kind = EXCLUDED.block_kind, block_reason = EXCLUDED.block_reason, block_worker = EXCLUDED.block_worker,
       blocked_since = COALESCE(h.blocked_since, now()), block_checks = h.block_checks + 1, block_checked_at = now(), updated_at = now()`,
    [runId, block.kind, block.reason, worker],
  );
}

/** A batch of the run proceeded: whatever blocked it is fixed. */
export async function clearBlock(db: Database, runId: string): Promise<void> {
  await db.pool.query(
    `UPDATE run_health SET block_kind = NULL, block_reason = NULL, block_worker = NULL, blocked_since = NULL, block_checked_at = NULL, updated_at = now()
      WHERE run_id = $1 AND block_kind IS NOT NULL`,
    [runId],
  );
}

export async function recordTransient(db: Database, runId: string, error: string): Promise<void> {
  await db.pool.query(
    `INSERT INTO run_health AS h (run_id, transient_retries, last_transient_error, last_transient_at, updated_at)
     VALUES ($1, 1, $2, now(), now())
     ON CONFLICT (run_id) DO UPDATE SET transient_retries = h.transient_retries + 1, last_transient_error = EXCLUDED.last_transient_error,
       last_transient_at = now(), updated_at = now()`,
    [runId, error],
  );
}

const activeBlockRow = z.object({ block_kind: z.enum(BLOCK_KINDS), block_reason: z.string() });

export async function activeBlock(db: Database, runId: string): Promise<RunBlock | null> {
  const [row] = await queryRows(
    db.pool,
    activeBlockRow,
    `SELECT block_kind, block_reason FROM run_health WHERE run_id = $1 AND block_kind IS NOT NULL`,
    [runId],
  );
  return row ? { kind: row.block_kind, reason: row.block_reason } : null;
}

const serverConcurrencyShape: z.ZodType<ServerConcurrencySnapshot> = z.object({
  limit: z.number(),
  ceiling: z.number(),
  inFlight: z.number(),
  waiting: z.number(),
  decreases: z.number(),
  roles: z.array(z.string()),
});
// Rows written before the limit was per server hold `roles` instead of `servers`: they do not fit.
const storedConcurrency = z.object({ at: z.string(), servers: z.record(z.string(), serverConcurrencyShape) });

const healthRow = z.object({
  block_kind: z.string().nullable(),
  block_reason: z.string().nullable(),
  block_worker: z.string().nullable(),
  blocked_since: z.date().nullable(),
  block_checks: z.number().int(),
  transient_retries: z.number().int(),
  last_transient_error: z.string().nullable(),
  last_transient_at: z.date().nullable(),
  // Stored JSON is read leniently: the claim marker ({"pending": true}) or a shape an older studio wrote
  // shows as nothing rather than failing the run page.
  preflight: z.unknown().transform((value) => runPreflightSchema.safeParse(value).data ?? null),
  concurrency: z.unknown().transform((value) => storedConcurrency.safeParse(value).data ?? null),
});
type HealthRow = z.output<typeof healthRow>;

const lastProgressRow = z.object({ last: z.date().nullable() });

/** The run's health as the run page and `finemed runs show --json` report it. */
export async function runHealth(
  db: Database,
  runId: string,
  run: { status: string; pending: number; startedAt: Date | null },
): Promise<RunHealth> {
  const [stored, progress] = await Promise.all([
    queryRows(
      db.pool,
      healthRow,
      `SELECT block_kind, block_reason, block_worker, blocked_since, block_checks, transient_retries, last_transient_error,
              last_transient_at, preflight, concurrency
         FROM run_health WHERE run_id = $1`,
      [runId],
    ),
    queryRows(db.pool, lastProgressRow, `SELECT max(finished_at) AS last FROM run_texts WHERE run_id = $1`, [runId]),
  ]);
  const row = stored[0];
  const lastProgress = latest(progress[0]?.last ?? null, run.startedAt);
  const health: RunHealth = {
    state: "ok",
    reason: null,
    blockKind: null,
    worker: null,
    since: null,
    checks: row?.block_checks ?? 0,
    transientRetries: row?.transient_retries ?? 0,
    lastTransientError: row?.last_transient_error ?? null,
    lastProgressAt: lastProgress?.toISOString() ?? null,
    preflight: row?.preflight ?? null,
    concurrency: row?.concurrency ?? null,
  };
  const working = run.status === "running" || run.status === "queued";
  if (!working || run.pending === 0) return health;
  if (row?.block_kind) {
    const since = row.blocked_since?.toISOString() ?? null;
    return { ...health, state: "blocked", reason: row.block_reason, blockKind: row.block_kind, worker: row.block_worker, since };
  }
  const idleSeconds = lastProgress ? (Date.now() - lastProgress.getTime()) / 1000 : Number.POSITIVE_INFINITY;
  if (idleSeconds >= stallAfterSeconds() && (lastProgress !== null || run.status === "queued")) {
    return { ...health, state: "stalled", reason: await stallCause(db, runId, row), since: lastProgress?.toISOString() ?? null };
  }
  if (health.transientRetries > 0 && row?.last_transient_at && Date.now() - row.last_transient_at.getTime() < stallAfterSeconds() * 1000) {
    return { ...health, state: "retrying", reason: row.last_transient_error };
  }
  return health;
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

const workersRow = z.object({ alive: z.number().int(), last: z.date().nullable() });
const batchJobsRow = z.object({ total: z.number().int(), backing_off: z.number().int(), last_error: z.string().nullable() });

/** The likeliest reason a run with work left made no progress: no worker, every batch backing off, or the backend. */
async function stallCause(db: Database, runId: string, row: HealthRow | undefined): Promise<string> {
  const [workers, jobs] = await Promise.all([
    queryRows(
      db.pool,
      workersRow,
      `SELECT count(*) FILTER (WHERE last_seen > now() - make_interval(secs => $1))::int AS alive, max(last_seen) AS last FROM worker_heartbeats`,
      [workerStaleSeconds()],
    ),
    queryRows(
      db.pool,
      batchJobsRow,
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE attempts > 0 AND run_at > now() AND locked_at IS NULL)::int AS backing_off,
              (array_agg(last_error ORDER BY updated_at DESC) FILTER (WHERE last_error IS NOT NULL))[1] AS last_error
         FROM graphile_worker.jobs WHERE task_identifier = $1 AND key LIKE $2 || ':%'`,
      [RUN_BATCH_TASK, runId],
    ).catch(() => []),
  ]);
  const alive = workers[0]?.alive ?? 0;
  if (alive === 0) {
    const last = workers[0]?.last;
    return `no worker is alive${last ? ` (last heartbeat ${last.toISOString()})` : ""}: start one with \`finemed worker\``;
  }
  const queue = jobs[0];
  if (queue && queue.total > 0 && queue.backing_off === queue.total) {
    return `every batch is backing off after errors${queue.last_error ? ` (last: ${queue.last_error.split("\n")[0]})` : ""}`;
  }
  if (row?.last_transient_at && Date.now() - row.last_transient_at.getTime() < stallAfterSeconds() * 2000) {
    return `the backend looks down: ${row.last_transient_error ?? "transient errors"}`;
  }
  if (queue && queue.total === 0) return "no batch of the run is queued: resume the run to queue its pending texts";
  return `${alive} worker(s) alive but none made progress: they may be busy with other runs, or the backend is slow`;
}
