import { SqlParams } from "../samples/sql-params";
import type { PlannedSplit } from "./split-plan";

export interface SplitQueryContext {
  versionId: string;
  internalMedicineId: number;
  endocrinologyId: number;
  /** Set with --dpo-overlap disjoint: the o1 SFT sample DPO must not reuse. */
  excludeO1?: { seed: string; rows: number };
}

export interface SplitQuery {
  text: string;
  values: unknown[];
}

// The sample order: a seeded hash per member, compared bytewise so every server and collation agree.
const orderKey = (seed: string, params: SqlParams) => `md5(${params.add(seed, "text")} || ':' || m.instruction_id::text) COLLATE "C"`;

function poolCondition(split: PlannedSplit, context: SplitQueryContext, params: SqlParams): string {
  switch (split.name) {
    case "sft_stage1":
      return "m.tier = 'common'";
    case "sft_stage2":
      return `m.tier = 'common' AND m.primary_id = ${params.add(context.internalMedicineId, "smallint")}`;
    case "sft_stage3":
      return `m.tier = 'common' AND m.secondary_id = ${params.add(context.endocrinologyId, "smallint")}`;
    case "o1_sft":
    case "ttt_index":
      return "m.tier = 'complex'";
    case "dpo":
      return context.excludeO1 === undefined
        ? "m.rejected_response_id IS NOT NULL"
        : `m.rejected_response_id IS NOT NULL AND m.instruction_id NOT IN (${o1Sample(context, context.excludeO1, params)})`;
  }
}

function o1Sample(context: SplitQueryContext, o1: { seed: string; rows: number }, params: SqlParams): string {
  return `SELECT m.instruction_id FROM dataset_members m WHERE m.version_id = ${params.add(context.versionId, "uuid")} AND m.tier = 'complex'
           ORDER BY ${orderKey(o1.seed, params)}, m.instruction_id LIMIT ${params.add(o1.rows, "int")}`;
}

/**
 * The rows of one split in sample order: the seeded sample of its pool, then each member's texts by
 * primary key. The texts are joined LATERAL to the ordered sample, so rows stream out in order
 * without sorting the texts themselves.
 */
export function splitQuery(split: PlannedSplit, context: SplitQueryContext): SplitQuery {
  const params = new SqlParams();
  const version = params.add(context.versionId, "uuid");
  const pool = poolCondition(split, context, params);
  const key = orderKey(split.seed, params);
  const limit = params.add(split.rows, "int");
  const rejected = split.shape === "preference" ? "(SELECT x.text FROM responses x WHERE x.id = p.rejected_response_id)" : "NULL::text";
  const reasoning = split.shape === "ttt";
  const text = `
    SELECT p.instruction_id AS id, i.text AS instruction, r.text AS response, ${rejected} AS rejected,
           ${reasoning ? "r.thought" : "NULL::text"} AS thought, ${reasoning ? "r.summarization" : "NULL::text"} AS summarization,
           p.primary_id, p.secondary_id
      FROM (SELECT m.instruction_id, m.chosen_response_id, m.rejected_response_id, m.primary_id, m.secondary_id, ${key} AS k
              FROM dataset_members m WHERE m.version_id = ${version} AND ${pool}
             ORDER BY k, m.instruction_id LIMIT ${limit}) p
     CROSS JOIN LATERAL (SELECT text FROM instructions WHERE id = p.instruction_id) i
     CROSS JOIN LATERAL (SELECT text, thought, summarization FROM responses WHERE id = p.chosen_response_id) r
     ORDER BY p.k, p.instruction_id`;
  return { text, values: params.values };
}

/** How many DPO-eligible members o1 SFT's sample leaves (with --dpo-overlap disjoint). */
export function disjointDpoCountQuery(context: SplitQueryContext & { excludeO1: { seed: string; rows: number } }): SplitQuery {
  const params = new SqlParams();
  const version = params.add(context.versionId, "uuid");
  const text = `SELECT count(*)::int AS n FROM dataset_members m WHERE m.version_id = ${version} AND m.rejected_response_id IS NOT NULL
                   AND m.instruction_id NOT IN (${o1Sample(context, context.excludeO1, params)})`;
  return { text, values: params.values };
}
