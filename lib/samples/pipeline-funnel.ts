import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

const textCountsRow = z.object({ texts: z.int(), failed: z.int() });
// Named as PipelineFunnel names them, so the row is the funnel's sample half as it stands.
const sampleCountsRow = z.object({
  instructions: z.int(),
  judged: z.int(),
  kept: z.int(),
  noneKept: z.int(),
  otherKept: z.int(),
  common: z.int(),
  complex: z.int(),
  /** Kept samples with a chosen response: what SFT trains on. */
  sft: z.int(),
  dpo: z.int(),
  labelled: z.int(),
  overridden: z.int(),
});

/** The paper's funnel: texts → instructions → kept → common/complex → SFT/DPO. */
export interface PipelineFunnel extends z.output<typeof sampleCountsRow> {
  texts: number;
  textsFailed: number;
}

/** Funnel counts for one run or all runs, in two aggregate queries (run_texts, samples). */
export async function pipelineFunnel(db: Database, runId?: string): Promise<PipelineFunnel> {
  const run = runId ?? null;
  const [texts, samples] = await Promise.all([
    queryRows(
      db.pool,
      textCountsRow,
      `SELECT count(*)::int AS texts, count(*) FILTER (WHERE outcome = 'failed')::int AS failed
         FROM run_texts WHERE $1::uuid IS NULL OR run_id = $1::uuid`,
      [run],
    ),
    queryRows(
      db.pool,
      sampleCountsRow,
      `SELECT count(*)::int AS instructions,
              count(*) FILTER (WHERE judgement_valid)::int AS judged,
              count(*) FILTER (WHERE status = 'kept')::int AS kept,
              count(*) FILTER (WHERE status = 'none_kept')::int AS "noneKept",
              count(*) FILTER (WHERE status = 'other_kept')::int AS "otherKept",
              count(*) FILTER (WHERE status = 'kept' AND tier = 'common')::int AS common,
              count(*) FILTER (WHERE status = 'kept' AND tier = 'complex')::int AS complex,
              count(*) FILTER (WHERE status = 'kept' AND chosen_response_id IS NOT NULL)::int AS sft,
              count(*) FILTER (WHERE status = 'kept' AND has_dpo_pair)::int AS dpo,
              count(*) FILTER (WHERE status = 'kept' AND model_primary_id IS NOT NULL)::int AS labelled,
              count(*) FILTER (WHERE curated_primary_id IS NOT NULL)::int AS overridden
         FROM samples WHERE $1::uuid IS NULL OR run_id = $1::uuid`,
      [run],
    ),
  ]);
  return { texts: texts[0]!.texts, textsFailed: texts[0]!.failed, ...samples[0]! };
}
