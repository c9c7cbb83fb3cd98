import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { Database } from "../db/database";
import { COMPARISON_BATCH_TASK, ensureQueue } from "../queue/jobs";
import { judgingRequestSchema, type JudgingRequestInput } from "./judging-request";
import { JudgingRequestError, resolveJudge } from "./resolve-judge";

const datasetSizeRow = z.object({ instruction_count: z.number().int() });
const createdJudgingRow = z.object({ id: z.string() });
const pendingBatchRow = z.object({ batch: z.number().int() });

export interface StartedJudging {
  judgingId: string;
  sampleSize: number;
  batchCount: number;
}

/**
 * Enqueues batches in the caller's transaction; the job key makes a resume replace a batch's waiting
 * job rather than double it.
 */
export async function enqueueComparisonBatches(client: pg.PoolClient | pg.Pool, judgingId: string, batches: number[]): Promise<void> {
  if (batches.length === 0) return;
  await client.query(
    `SELECT graphile_worker.add_job($1, json_build_object('judgingId', $2::text, 'batch', b), job_key => 'comparison:' || $2::text || ':' || b, max_attempts => 10)
       FROM unnest($3::int[]) AS b`,
    [COMPARISON_BATCH_TASK, judgingId, batches],
  );
}

/**
 * Draws a seeded random sample of the dataset (capped by its size) and queues it for judging. The
 * order is md5(seed, id): the same seed always draws the same instructions, on any engine.
 */
export async function startJudging(
  db: Database,
  datasetId: string,
  input: JudgingRequestInput,
  createdBy: string,
): Promise<StartedJudging> {
  const parsed = judgingRequestSchema.safeParse(input);
  if (!parsed.success)
    throw new JudgingRequestError(parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; "));
  const request = parsed.data;
  const judge = await resolveJudge(db, request);
  await ensureQueue(db);
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const [dataset] = await queryRows(client, datasetSizeRow, `SELECT instruction_count FROM comparison_datasets WHERE id = $1`, [
      datasetId,
    ]);
    const size = dataset?.instruction_count;
    if (size === undefined) throw new JudgingRequestError(`comparison dataset ${datasetId} does not exist`);
    const sampleSize = Math.min(request.sampleSize, size);
    if (sampleSize === 0) throw new JudgingRequestError("the comparison dataset has no instructions");
    const batchCount = Math.ceil(sampleSize / request.batchSize);
    const [created] = await queryRows(
      client,
      createdJudgingRow,
      `INSERT INTO comparison_judgings (dataset_id, sample_size, seed, prompt_template_id, judge, judge_run_id, batch_size, batch_count, output_retries, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        datasetId,
        sampleSize,
        request.seed,
        judge.promptTemplateId,
        JSON.stringify(judge.settings),
        judge.runId,
        request.batchSize,
        batchCount,
        request.outputRetries,
        createdBy,
      ],
    );
    const judgingId = created!.id;
    await client.query(
      `INSERT INTO comparison_judgements (judging_id, instruction_id, batch)
       SELECT $1, id, ((row_number() OVER (ORDER BY draw, id) - 1) / $4)::int
         FROM (SELECT id, md5($3 || ':' || id::text) AS draw FROM comparison_instructions WHERE dataset_id = $2 ORDER BY draw, id LIMIT $5) sampled`,
      [judgingId, datasetId, request.seed, request.batchSize, sampleSize],
    );
    await enqueueComparisonBatches(
      client,
      judgingId,
      Array.from({ length: batchCount }, (_, batch) => batch),
    );
    await client.query("COMMIT");
    return { judgingId, sampleSize, batchCount };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Queues again every batch of a judging that still has instructions waiting, e.g. after its jobs gave up. */
export async function resumeJudging(db: Database, judgingId: string): Promise<number[]> {
  await ensureQueue(db);
  const pending = await queryRows(
    db.pool,
    pendingBatchRow,
    `SELECT DISTINCT batch FROM comparison_judgements WHERE judging_id = $1 AND valid IS NULL ORDER BY batch`,
    [judgingId],
  );
  const batches = pending.map((row) => row.batch);
  await enqueueComparisonBatches(db.pool, judgingId, batches);
  if (batches.length > 0)
    await db.pool.query(`UPDATE comparison_judgings SET status = 'running', finished_at = NULL WHERE id = $1`, [judgingId]);
  return batches;
}
