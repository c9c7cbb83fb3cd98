import type pg from "pg";
import { Logger, runMigrations } from "graphile-worker";
import type { Database } from "../db/database";

export const RUN_BATCH_TASK = "run-batch";
/** A batch of a comparison dataset's judging (lib/comparison). */
export const COMPARISON_BATCH_TASK = "comparison-batch";

const prepared = new WeakSet<Database>();

/** graphile-worker's own schema (its migrations), installed once per database. */
export async function ensureQueue(db: Database): Promise<void> {
  if (prepared.has(db)) return;
  await runMigrations({ pgPool: db.pool, noPreparedStatements: db.embedded, logger: quietLogger() });
  prepared.add(db);
}

/**
 * Enqueues batches in the caller's transaction, so a run and its jobs appear together or not at all.
 * The job key makes a re-enqueue (resume) replace a batch's waiting job instead of doubling it.
 */
export async function enqueueBatches(client: pg.PoolClient | pg.Pool, runId: string, batches: number[]): Promise<void> {
  if (batches.length === 0) return;
  await client.query(
    `SELECT graphile_worker.add_job($1, json_build_object('runId', $2::text, 'batch', b), job_key => $2::text || ':' || b, max_attempts => 10)
       FROM unnest($3::int[]) AS b`,
    [RUN_BATCH_TASK, runId, batches],
  );
}

/** The queue's info chatter stays out of the studio's output; its warnings and errors do not. */
export function quietLogger(): Logger {
  return new Logger(() => (level: string, message: string) => {
    if (level === "error" || level === "warning") process.stderr.write(`[queue] ${level}: ${message}\n`);
  });
}
