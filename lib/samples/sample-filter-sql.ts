import type { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import type { SampleFilters } from "./sample-query";
import type { SqlParams } from "./sql-params";

export type TextMode = "probe" | { cte: string };

/** A name in a filter that is not in the taxonomy: the filter matches nothing rather than everything. */
const NO_DEPARTMENT = -1;

const LABEL_COLUMNS = {
  effective: { primary: "primary_id", secondary: "secondary_id" },
  model: { primary: "model_primary_id", secondary: "model_secondary_id" },
  curated: { primary: "curated_primary_id", secondary: "curated_secondary_id" },
} as const;

function rangeCondition(column: string, range: { min?: number; max?: number } | undefined, params: SqlParams, cast: string): string[] {
  if (!range) return [];
  const conditions: string[] = [];
  if (range.min !== undefined) conditions.push(`${column} >= ${params.add(range.min, cast)}`);
  if (range.max !== undefined) conditions.push(`${column} <= ${params.add(range.max, cast)}`);
  return conditions;
}

function departmentIds(index: TaxonomyIndex, level: "primary" | "secondary", names: readonly string[]): number[] {
  return names.map((name) => index.find(level, name)?.id ?? NO_DEPARTMENT);
}

/**
 * The WHERE clause (over `samples s`) for a set of filters. Department names are resolved to ids
 * here so the planner sees literal id arrays and can use its statistics; full text is a semi-join
 * on sample_documents so every caller (page, count, histogram, bulk relabel) can use it alone;
 * `textMode` forces one plan for full text instead (see page-samples.ts): test each row's document,
 * or take the ids from a CTE of matches.
 */
export function sampleFilterSql(filters: SampleFilters, index: TaxonomyIndex, params: SqlParams, textMode?: TextMode): string {
  const conditions: string[] = [
    ...rangeCondition("s.quality", filters.quality, params, "smallint"),
    ...rangeCondition("s.difficulty", filters.difficulty, params, "smallint"),
    ...rangeCondition("s.relevance", filters.relevance, params, "smallint"),
    ...rangeCondition("s.reward_score", filters.reward, params, "float8"),
  ];
  const columns = LABEL_COLUMNS[filters.labelSource];
  if (filters.primary && filters.primary.length > 0) {
    conditions.push(`s.${columns.primary} = ANY(${params.add(departmentIds(index, "primary", filters.primary), "smallint[]")})`);
  }
  if (filters.secondary && filters.secondary.length > 0) {
    const named = filters.secondary.filter((name): name is string => name !== null);
    const alternatives: string[] = [];
    if (named.length > 0)
      alternatives.push(`s.${columns.secondary} = ANY(${params.add(departmentIds(index, "secondary", named), "smallint[]")})`);
    // None means "labelled, with no secondary", never "not labelled at all".
    if (named.length < filters.secondary.length) alternatives.push(`(s.${columns.secondary} IS NULL AND s.${columns.primary} IS NOT NULL)`);
    conditions.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(" OR ")})`);
  }
  if (filters.tier && filters.tier.length > 0) conditions.push(`s.tier = ANY(${params.add(filters.tier, "sample_tier[]")})`);
  if (filters.status && filters.status.length > 0) conditions.push(`s.status = ANY(${params.add(filters.status, "sample_status[]")})`);
  if (filters.overridden !== undefined)
    conditions.push(filters.overridden ? "s.curated_primary_id IS NOT NULL" : "s.curated_primary_id IS NULL");
  if (filters.mentionsDetails !== undefined) conditions.push(`s.mentions_details = ${params.add(filters.mentionsDetails, "boolean")}`);
  if (filters.ids && filters.ids.length > 0) conditions.push(`s.instruction_id = ANY(${params.add(filters.ids, "bigint[]")})`);
  if (filters.selection !== undefined) {
    const selection = params.add(filters.selection, "uuid");
    conditions.push(`s.instruction_id IN (SELECT unnest(m.instruction_ids) FROM map_selections m WHERE m.id = ${selection})`);
  }
  if (filters.runIds && filters.runIds.length > 0) conditions.push(`s.run_id = ANY(${params.add(filters.runIds, "uuid[]")})`);
  if (filters.text !== undefined && textMode === "probe") {
    // A scalar subquery cannot be turned into a join: the document is tested row by row as the sort
    // index is walked, whatever the planner estimates.
    conditions.push(
      `(SELECT d.search @@ websearch_to_tsquery('english', ${params.add(filters.text, "text")}) FROM sample_documents d WHERE d.instruction_id = s.instruction_id)`,
    );
  } else if (filters.text !== undefined && typeof textMode === "object") {
    conditions.push(`s.instruction_id IN (SELECT instruction_id FROM ${textMode.cte})`);
  } else if (filters.text !== undefined) {
    conditions.push(
      `s.instruction_id IN (SELECT d.instruction_id FROM sample_documents d WHERE d.search @@ websearch_to_tsquery('english', ${params.add(filters.text, "text")}))`,
    );
  }
  return conditions.length > 0 ? conditions.join(" AND ") : "TRUE";
}
