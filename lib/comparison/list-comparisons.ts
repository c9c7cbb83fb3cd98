import type { Database } from "../db/database";

export interface ComparisonJudgingProgress {
  id: string;
  status: string;
  sampleSize: number;
  judgeModel: string;
  judgeBaseUrl: string;
  judgeRunId: string | null;
  judged: number;
  failed: number;
  pending: number;
  callsMade: number;
  callsReused: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface ComparisonDatasetRow {
  id: string;
  name: string;
  fileName: string;
  textField: string;
  instructionCount: number;
  rejectedCount: number;
  createdAt: string;
  /** The latest judging; earlier ones stay stored and are reachable by id. */
  judging: ComparisonJudgingProgress | null;
}

interface Record {
  id: string;
  name: string;
  file_name: string;
  text_field: string;
  instruction_count: number;
  rejected_count: number;
  created_at: Date;
  judging_id: string | null;
  status: string | null;
  sample_size: number | null;
  judge_model: string | null;
  judge_base_url: string | null;
  judge_run_id: string | null;
  judged: number | null;
  failed: number | null;
  pending: number | null;
  calls_made: number | null;
  calls_reused: number | null;
  judging_created_at: Date | null;
  finished_at: Date | null;
}

/** Comparison datasets, newest first, each with its latest judging's progress counted in SQL. */
export async function listComparisonDatasets(db: Database): Promise<ComparisonDatasetRow[]> {
  const result = await db.pool.query<Record>(
    `SELECT d.id, d.name, d.file_name, d.text_field, d.instruction_count, d.rejected_count, d.created_at,
            j.id AS judging_id, j.status, j.sample_size, j.judge->>'model' AS judge_model, j.judge->>'baseUrl' AS judge_base_url,
            j.judge_run_id, c.judged, c.failed, c.pending, j.calls_made, j.calls_reused, j.created_at AS judging_created_at, j.finished_at
       FROM comparison_datasets d
       LEFT JOIN LATERAL (SELECT * FROM comparison_judgings WHERE dataset_id = d.id ORDER BY created_at DESC LIMIT 1) j ON true
       LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE valid)::int AS judged, count(*) FILTER (WHERE NOT valid)::int AS failed,
                                 count(*) FILTER (WHERE valid IS NULL)::int AS pending
                            FROM comparison_judgements WHERE judging_id = j.id) c ON true
      ORDER BY d.created_at DESC, d.name`,
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    fileName: row.file_name,
    textField: row.text_field,
    instructionCount: row.instruction_count,
    rejectedCount: row.rejected_count,
    createdAt: row.created_at.toISOString(),
    judging: row.judging_id
      ? {
          id: row.judging_id,
          status: row.status ?? "running",
          sampleSize: row.sample_size ?? 0,
          judgeModel: row.judge_model ?? "",
          judgeBaseUrl: row.judge_base_url ?? "",
          judgeRunId: row.judge_run_id,
          judged: row.judged ?? 0,
          failed: row.failed ?? 0,
          pending: row.pending ?? 0,
          callsMade: row.calls_made ?? 0,
          callsReused: row.calls_reused ?? 0,
          createdAt: (row.judging_created_at ?? row.created_at).toISOString(),
          finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
        }
      : null,
  }));
}

/** The failed judgements of a judging with their reasons and raw outputs, for a curator to read. */
export async function listJudgingFailures(
  db: Database,
  judgingId: string,
  limit = 100,
): Promise<{ instructionId: number; reason: string | null; rawOutput: string | null; attempts: number }[]> {
  const result = await db.pool.query<{
    instruction_id: number;
    failure_reason: string | null;
    raw_output: string | null;
    attempts: number;
  }>(
    `SELECT instruction_id, failure_reason, raw_output, attempts FROM comparison_judgements
      WHERE judging_id = $1 AND valid = false ORDER BY instruction_id LIMIT $2`,
    [judgingId, limit],
  );
  return result.rows.map((row) => ({
    instructionId: row.instruction_id,
    reason: row.failure_reason,
    rawOutput: row.raw_output,
    attempts: row.attempts,
  }));
}
