import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { filterContext } from "./sample-filter-context";
import type { SampleFiltersInput } from "./sample-query";

export const HISTOGRAM_FIELDS = ["quality", "difficulty", "relevance", "reward"] as const;
export type HistogramField = (typeof HISTOGRAM_FIELDS)[number];

export const HISTOGRAM_GROUPS = ["run", "corpus", "tier", "status", "primary", "secondary"] as const;
export type HistogramGroup = (typeof HISTOGRAM_GROUPS)[number];

export interface HistogramBucket {
  /** The score (integer fields) or the bucket's lower edge (reward). */
  from: number;
  to: number;
  count: number;
}

export interface HistogramSeries {
  /** The group's name (run id, corpus name, tier, status, department); null for "no value"; "all" without `by`. */
  group: string | null;
  count: number;
  mean: number | null;
  /** Exact for the integer scores; for reward, the lower edge of the bucket holding the median. */
  median: number | null;
  buckets: HistogramBucket[];
}

export interface Histogram {
  field: HistogramField;
  by: HistogramGroup | null;
  series: HistogramSeries[];
}

const REWARD_BUCKETS = 20;

/** The SQL of each score and grouping, shared with the quartiles so a grouping means the same rows. */
export const SCORE_COLUMNS: Record<HistogramField, string> = {
  quality: "s.quality",
  difficulty: "s.difficulty",
  relevance: "s.relevance",
  reward: "s.reward_score",
};

export const SCORE_GROUPS: Record<HistogramGroup, string> = {
  run: "s.run_id::text",
  corpus: "c.name",
  tier: "s.tier::text",
  status: "s.status::text",
  primary: "s.primary_id::text",
  secondary: "s.secondary_id::text",
};

const rewardRangeRow = z.object({ lo: z.number().nullable(), hi: z.number().nullable() });
const bucketRow = z.object({ grp: z.string().nullable(), bucket: z.int(), count: z.int(), total: z.number() });
export type BucketRecord = z.output<typeof bucketRow>;

/**
 * Distribution of a score over the samples matching `filters`, optionally one series per group, in
 * one aggregate query. Integer scores bucket by value; reward uses 20 equal buckets over its full
 * range (read from the reward index), so series under different filters share their edges.
 */
export async function histogram(
  db: Database,
  field: HistogramField,
  filters?: SampleFiltersInput,
  by?: HistogramGroup,
): Promise<Histogram> {
  const context = await filterContext(db, filters);
  const { params } = context;
  const column = SCORE_COLUMNS[field];
  let bucketSql = column;
  let lower = 0;
  let width = 1;
  if (field === "reward") {
    const [range] = await queryRows(db.pool, rewardRangeRow, `SELECT min(reward_score) AS lo, max(reward_score) AS hi FROM samples`);
    const lo = range?.lo ?? null;
    const hi = range?.hi ?? null;
    if (lo === null || hi === null) return { field, by: by ?? null, series: [] };
    lower = lo;
    width = hi > lo ? (hi - lo) / REWARD_BUCKETS : 1;
    // width_bucket puts the maximum in bucket n+1; least() folds it into the last bucket.
    bucketSql = `least(width_bucket(${column}, ${params.add(lo, "float8")}, ${params.add(hi > lo ? hi : lo + 1, "float8")}, ${REWARD_BUCKETS}), ${REWARD_BUCKETS}) - 1`;
  }
  const groupSql = by ? SCORE_GROUPS[by] : "NULL::text";
  const rows = await queryRows(
    db.pool,
    bucketRow,
    `SELECT ${groupSql} AS grp, ${bucketSql} AS bucket, count(*)::int AS count, sum(${column})::float8 AS total
       FROM samples s${by === "corpus" ? " JOIN runs r ON r.id = s.run_id JOIN corpora c ON c.id = r.corpus_id" : ""}
      WHERE ${context.where} AND ${column} IS NOT NULL
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    params.values,
  );
  return histogramFromBuckets(field, by, rows, context.index, lower, width);
}

/**
 * A histogram from its (group, bucket, count, total) rows, ordered by group then bucket. For the
 * integer scores a bucket is the score itself (lower 0, width 1), so the same rows also give the
 * quartiles (score-quartiles.ts): lib/samples/score-charts.ts reads both from one scan.
 */
export function histogramFromBuckets(
  field: HistogramField,
  by: HistogramGroup | undefined,
  rows: readonly BucketRecord[],
  index: { nameOf(id: number): string | null },
  lower = 0,
  width = 1,
): Histogram {
  const groups = new Map<string | null, BucketRecord[]>();
  for (const row of rows) {
    const bucketRows = groups.get(row.grp);
    if (bucketRows) bucketRows.push(row);
    else groups.set(row.grp, [row]);
  }
  const nameOf = (group: string | null) => scoreGroupName(group, by, index);
  return {
    field,
    by: by ?? null,
    series: [...groups.entries()].map(([group, rows]) => {
      const count = rows.reduce((sum, r) => sum + r.count, 0);
      const total = rows.reduce((sum, r) => sum + r.total, 0);
      let seen = 0;
      const median = rows.find((r) => (seen += r.count) >= count / 2);
      const edge = (bucket: number) => (field === "reward" ? lower + bucket * width : bucket);
      return {
        group: nameOf(group),
        count,
        mean: count > 0 ? total / count : null,
        median: median ? edge(median.bucket) : null,
        buckets: rows.map((r) => ({ from: edge(r.bucket), to: field === "reward" ? edge(r.bucket + 1) : r.bucket, count: r.count })),
      };
    }),
  };
}

/** A group's display name: departments by name, everything else as stored, "all" when ungrouped. */
export function scoreGroupName(
  group: string | null,
  by: HistogramGroup | undefined,
  index: { nameOf(id: number): string | null },
): string | null {
  if (!by) return "all";
  if (group !== null && (by === "primary" || by === "secondary")) return index.nameOf(Number(group));
  return group;
}
