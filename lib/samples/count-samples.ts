import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { filterContext } from "./sample-filter-context";
import type { SampleFiltersInput } from "./sample-query";

export interface SampleCount {
  count: number;
  /** False when more than `cap` rows matched: `count` is then the planner's estimate (never below cap + 1). */
  exact: boolean;
}

export const DEFAULT_COUNT_CAP = 100_000;

const cappedCountRow = z.object({ count: z.int() });
// EXPLAIN (FORMAT JSON) gives one json value: a list holding the plan's root, of which only the estimate is read.
const explainedPlanRow = z.object({ "QUERY PLAN": z.tuple([z.object({ Plan: z.object({ "Plan Rows": z.number() }) })]) });

/**
 * How many samples match: exact up to `cap` (the count stops reading at cap + 1 rows, so it costs at
 * most that many rows), estimated above it from the planner's row estimate. For a number a decision
 * depends on (a bulk relabel's confirmation), use previewBulkRelabel, which always counts exactly.
 */
export async function countSamples(db: Database, filters?: SampleFiltersInput, cap = DEFAULT_COUNT_CAP): Promise<SampleCount> {
  const context = await filterContext(db, filters);
  const limit = context.params.add(cap + 1, "int");
  const [counted] = await queryRows(
    db.pool,
    cappedCountRow,
    `SELECT count(*)::int AS count FROM (SELECT 1 FROM samples s WHERE ${context.where} LIMIT ${limit}) AS capped`,
    context.params.values,
  );
  const count = counted!.count;
  if (count <= cap) return { count, exact: true };
  const [explained] = await queryRows(
    db.pool,
    explainedPlanRow,
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM samples s WHERE ${context.where}`,
    context.params.values.slice(0, -1),
  );
  const estimate = Math.round(explained!["QUERY PLAN"][0].Plan["Plan Rows"]);
  return { count: Math.max(estimate, cap + 1), exact: false };
}
