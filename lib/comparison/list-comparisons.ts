import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

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

// The judging's columns are null for a dataset never judged (the LEFT JOIN LATERAL finds none).
const datasetListRow = z.object({
  id: z.string(),
  name: z.string(),
  file_name: z.string(),
  text_field: z.string(),
  instruction_count: z.number().int(),
  rejected_count: z.number().int(),
  created_at: z.date(),
  judging_id: z.string().nullable(),
  status: z.string().nullable(),
  sample_size: z.number().int().nullable(),
  judge_model: z.string().nullable(),
  judge_base_url: z.string().nullable(),
  judge_run_id: z.string().nullable(),
  judged: z.number().int().nullable(),
  failed: z.number().int().nullable(),
  pending: z.number().int().nullable(),
  calls_made: z.number().int().nullable(),
  calls_reused: z.number().int().nullable(),
  judging_created_at: z.date().nullable(),
  finished_at: z.date().nullable(),
});

// comparison_judgements.instruction_id is a bigint, a JS number through the pool's int8 parser (lib/db/database.ts).
const judgingFailureRow = z.object({
  instruction_id: z.number().int(),
  failure_reason: z.string().nullable(),
  raw_output: z.string().nullable(),
  attempts: z.number().int(),
});

/** Comparison datasets, newest first, each with its latest judging's progress counted in SQL. */
export async function listComparisonDatasets(db: Database): Promise<ComparisonDatasetRow[]> {
  const rows = await queryRows(
    db.pool,
    datasetListRow,
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
  return rows.map((row) => ({
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
  const rows = await queryRows(
    db.pool,
    judgingFailureRow,
    `SELECT instruction_id, failure_reason, raw_output, attempts FROM comparison_judgements
      WHERE judging_id = $1 AND valid = false ORDER BY instruction_id LIMIT $2`,
    [judgingId, limit],
  );
  return rows.map((row) => ({
    instructionId: row.instruction_id,
    reason: row.failure_reason,
    rawOutput: row.raw_output,
    attempts: row.attempts,
  }));
}
