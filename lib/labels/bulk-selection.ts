import type { Database } from "../db/database";
import { filterContext, type FilterContext } from "../samples/sample-filter-context";
import type { SampleFiltersInput } from "../samples/sample-query";

/** What a bulk change applies to: everything matching a filter, or a selection of sample ids. */
export type BulkSelection = { filter: SampleFiltersInput } | { ids: readonly number[] };

/** The selection as a WHERE clause over `samples s`, with the taxonomy it was resolved against. */
export async function selectionContext(db: Database, selection: BulkSelection): Promise<FilterContext> {
  if ("filter" in selection) return filterContext(db, selection.filter);
  const context = await filterContext(db, {});
  context.where = `s.instruction_id = ANY(${context.params.add([...selection.ids], "bigint[]")})`;
  return context;
}
