import type { Database } from "../db/database";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import { sampleFilterSql } from "./sample-filter-sql";
import { sampleFiltersSchema, type SampleFiltersInput } from "./sample-query";
import { SqlParams } from "./sql-params";

/** Filters validated and turned into a WHERE clause over `samples s`, with the taxonomy they were resolved against. */
export interface FilterContext {
  index: TaxonomyIndex;
  params: SqlParams;
  where: string;
}

export async function filterContext(db: Database, filters: SampleFiltersInput | undefined): Promise<FilterContext> {
  const parsed = sampleFiltersSchema.parse(filters ?? {});
  const index = new TaxonomyIndex(await currentTaxonomy(db));
  const params = new SqlParams();
  return { index, params, where: sampleFilterSql(parsed, index, params) };
}
