import type pg from "pg";
import { Logger, runMigrations } from "graphile-worker";
import type { Database } from "../db/database";

export const RUN_BATCH_TASK = "run-batch";
/** A batch of a comparison dataset's judging (lib/comparison). */
export const COMPARISON_BATCH_TASK = "comparison-batch";
/** A map: embed what is missing, fit and place the projection, write its points (lib/projection). */
export const PROJECTION_TASK = "projection";

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

/**
 * Enqueues a projection in the caller's transaction. A few attempts only: a worker killed mid-fit is
 * retried, while a projection that failed on its own (bad input, backend down) records why and stops.
 */
export async function enqueueProjection(client: pg.PoolClient | pg.Pool, projectionId: string): Promise<void> {
  await client.query(
    `SELECT graphile_worker.add_job($1, json_build_object('projectionId', $2::text), job_key => 'projection:' || $2::text, max_attempts => 3)`,
    [PROJECTION_TASK, projectionId],
  );
}

/** The queue's info chatter stays out of the studio's output; its warnings and errors do not. */
export function quietLogger(): Logger {
  return new Logger(() => (level: string, message: string) => {
    if (level === "error" || level === "warning") process.stderr.write(`[queue] ${level}: ${message}\n`);
  });
}
