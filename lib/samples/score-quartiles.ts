import type { Database } from "../db/database";
import { filterContext } from "./sample-filter-context";
import type { SampleFiltersInput } from "./sample-query";
import { SCORE_COLUMNS, SCORE_GROUPS, scoreGroupName, type HistogramField, type HistogramGroup } from "./score-histogram";

/** A chart stays readable with a dozen boxes; departments and runs can be far more numerous. */
export const MAX_QUARTILE_GROUPS = 12;

export interface QuartileSeries {
  /** The group's name (run id, corpus name, tier, status, department); null for "no value"; "all" without `by`. */
  group: string | null;
  n: number;
  min: number;
  /** Quartiles interpolate linearly between ranks (percentile_cont), so they may fall between integer scores. */
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

export interface ScoreQuartiles {
  field: HistogramField;
  by: HistogramGroup | null;
  /** How many groups have a scored sample; `series` holds at most MAX_QUARTILE_GROUPS of them, largest first. */
  groups: number;
  series: QuartileSeries[];
}

interface QuartileRecord {
  grp: string | null;
  n: number;
  lo: number;
  q1: number;
  median: number;
  q3: number;
  hi: number;
  mean: number;
  groups: number;
}

/**
 * Five-number summary and mean of a score over the samples matching `filters`, one series per
 * group, in one aggregate query with the histogram's filters and groupings. Only the largest
 * MAX_QUARTILE_GROUPS groups come back (ties broken by name), so one department-heavy grouping
 * cannot flood the page.
 */
export async function scoreQuartiles(
  db: Database,
  field: HistogramField,
  filters?: SampleFiltersInput,
  by?: HistogramGroup,
): Promise<ScoreQuartiles> {
  const context = await filterContext(db, filters);
  const column = SCORE_COLUMNS[field];
  const groupSql = by ? SCORE_GROUPS[by] : "NULL::text";
  const result = await db.pool.query<QuartileRecord>(
    `SELECT ${groupSql} AS grp,
            count(*)::int AS n,
            min(${column})::float8 AS lo,
            percentile_cont(0.25) WITHIN GROUP (ORDER BY ${column})::float8 AS q1,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column})::float8 AS median,
            percentile_cont(0.75) WITHIN GROUP (ORDER BY ${column})::float8 AS q3,
            max(${column})::float8 AS hi,
            avg(${column})::float8 AS mean,
            (count(*) OVER ())::int AS groups
       FROM samples s${by === "corpus" ? " JOIN runs r ON r.id = s.run_id JOIN corpora c ON c.id = r.corpus_id" : ""}
      WHERE ${context.where} AND ${column} IS NOT NULL
      GROUP BY 1
      ORDER BY n DESC, grp NULLS LAST
      LIMIT ${MAX_QUARTILE_GROUPS}`,
    context.params.values,
  );
  const nameOf = (group: string | null) => scoreGroupName(group, by, context.index);
  return {
    field,
    by: by ?? null,
    groups: result.rows[0]?.groups ?? 0,
    series: result.rows.map((row) => ({
      group: nameOf(row.grp),
      n: row.n,
      min: row.lo,
      q1: row.q1,
      median: row.median,
      q3: row.q3,
      max: row.hi,
      mean: row.mean,
    })),
  };
}
