import { z } from "zod";
import type { Database } from "../db/database";
import { sampleFilterSql } from "../samples/sample-filter-sql";
import { sampleFiltersSchema } from "../samples/sample-query";
import type { SqlParams } from "../samples/sql-params";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";

/**
 * Which samples a map (and its embeddings) covers: the Samples page's filters and/or runs. Without a
 * status filter only kept samples are mapped: they are the ones a curator relabels and exports.
 */
export const mapScopeSchema = z
  .object({
    runIds: z.array(z.uuid()).max(1000).optional(),
    filters: sampleFiltersSchema.partial().optional(),
  })
  .strict();
export type MapScope = z.output<typeof mapScopeSchema>;
export type MapScopeInput = z.input<typeof mapScopeSchema>;

/** Builds the scope's WHERE clause (over `samples s`) into a statement's own params, once per statement. */
export type ScopeWhere = (params: SqlParams) => string;

export async function scopeWhere(db: Database, scope: MapScope): Promise<ScopeWhere> {
  const filters = { ...(scope.filters ?? {}) };
  if (scope.runIds && scope.runIds.length > 0) filters.runIds = [...new Set([...(filters.runIds ?? []), ...scope.runIds])];
  if (!filters.status || filters.status.length === 0) filters.status = ["kept"];
  const parsed = sampleFiltersSchema.parse(filters);
  const index = new TaxonomyIndex(await currentTaxonomy(db));
  return (params) => sampleFilterSql(parsed, index, params);
}
