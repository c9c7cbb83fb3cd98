import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
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

/** How many samples of one group carry one score value. */
const valueCountRow = z.object({ grp: z.string().nullable(), v: z.int(), c: z.int() });
export type ValueCount = z.output<typeof valueCountRow>;

/** percentile_cont over a group's sorted values, read from its (value, count) pairs without expanding them. */
function percentileOfCounts(values: readonly ValueCount[], n: number, p: number): number {
  const rank = p * (n - 1);
  const at = (index: number): number => {
    let seen = 0;
    for (const value of values) {
      seen += value.c;
      if (index < seen) return value.v;
    }
    return values.at(-1)!.v;
  };
  const low = Math.floor(rank);
  const lower = at(low);
  return lower + (rank - low) * (at(Math.ceil(rank)) - lower);
}

function seriesOf(group: string | null, values: readonly ValueCount[]): Omit<QuartileSeries, "group"> & { grp: string | null } {
  const n = values.reduce((sum, value) => sum + value.c, 0);
  const total = values.reduce((sum, value) => sum + value.v * value.c, 0);
  return {
    grp: group,
    n,
    min: values[0]!.v,
    q1: percentileOfCounts(values, n, 0.25),
    median: percentileOfCounts(values, n, 0.5),
    q3: percentileOfCounts(values, n, 0.75),
    max: values.at(-1)!.v,
    mean: total / n,
  };
}

/**
 * Five-number summary and mean of a score over the samples matching `filters`, one series per
 * group, with the histogram's filters and groupings. Only the largest MAX_QUARTILE_GROUPS groups come
 * back (ties broken by name), so one department-heavy grouping cannot flood the page. Scores are small
 * integers, so the database only counts samples per (group, score) — a hash aggregate, where
 * percentile_cont sorted a million rows per chart — and the quartiles are read from those counts,
 * interpolated exactly as percentile_cont does.
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
  const rows = await queryRows(
    db.pool,
    valueCountRow,
    `SELECT ${groupSql} AS grp, ${column}::int AS v, count(*)::int AS c
       FROM samples s${by === "corpus" ? " JOIN runs r ON r.id = s.run_id JOIN corpora c ON c.id = r.corpus_id" : ""}
      WHERE ${context.where} AND ${column} IS NOT NULL
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    context.params.values,
  );
  return quartilesFromCounts(field, by, rows, context.index);
}

/** The quartiles of one integer score from its (group, value, count) rows, ordered by group then value. */
export function quartilesFromCounts(
  field: HistogramField,
  by: HistogramGroup | undefined,
  rows: readonly ValueCount[],
  index: { nameOf(id: number): string | null },
): ScoreQuartiles {
  const byGroup = new Map<string | null, ValueCount[]>();
  for (const row of rows) {
    const values = byGroup.get(row.grp);
    if (values) values.push(row);
    else byGroup.set(row.grp, [row]);
  }
  // Largest first; ties by name, the group without a value last (as ORDER BY n DESC, grp NULLS LAST).
  const series = [...byGroup.entries()]
    .map(([group, values]) => seriesOf(group, values))
    .sort((a, b) => b.n - a.n || (a.grp === null ? 1 : b.grp === null ? -1 : a.grp < b.grp ? -1 : a.grp > b.grp ? 1 : 0))
    .slice(0, MAX_QUARTILE_GROUPS);
  const nameOf = (group: string | null) => scoreGroupName(group, by, index);
  return {
    field,
    by: by ?? null,
    groups: byGroup.size,
    series: series.map(({ grp, ...summary }) => ({ group: nameOf(grp), ...summary })),
  };
}
