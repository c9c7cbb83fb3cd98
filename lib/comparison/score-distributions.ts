import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

export const COMPARISON_FIELDS = ["quality", "difficulty", "relevance"] as const;
export type ComparisonField = (typeof COMPARISON_FIELDS)[number];

export interface ScoreSeries {
  /** "finemed", or the judging's id. */
  key: string;
  name: string;
  count: number;
  mean: number | null;
  /** The lower median (percentile_disc), exact for integer scores. */
  median: number | null;
  buckets: { score: number; count: number }[];
}

export interface ScoreDistributions {
  field: ComparisonField;
  series: ScoreSeries[];
}

const FINEMED = "finemed";

const bucketRow = z.object({ series: z.string(), score: z.number().int(), count: z.number().int() });
// A series exists only where it has a score, so its mean and median are never null; the median of int scores is an int.
const seriesStatsRow = z.object({ series: z.string(), count: z.number().int(), mean: z.number(), median: z.number().int() });
const judgingNameRow = z.object({ id: z.string(), name: z.string() });

// Column names come only from this map, never from the request.
const COLUMN: Record<ComparisonField, string> = { quality: "quality", difficulty: "difficulty", relevance: "relevance" };

/**
 * One score's distribution for FineMed (every valid judgement, or one run's) and for each judging
 * named, counted, averaged and medianed by the database in two grouped queries.
 */
export async function scoreDistributions(
  db: Database,
  field: ComparisonField,
  judgingIds: string[],
  runId?: string,
): Promise<ScoreDistributions> {
  const column = COLUMN[field];
  const scores = `WITH scores AS (
      SELECT '${FINEMED}'::text AS series, ${column}::int AS score FROM judgements
       WHERE valid AND ${column} IS NOT NULL AND ($1::uuid IS NULL OR run_id = $1::uuid)
      UNION ALL
      SELECT judging_id::text, ${column}::int FROM comparison_judgements
       WHERE judging_id = ANY($2::uuid[]) AND valid AND ${column} IS NOT NULL)`;
  const params = [runId ?? null, judgingIds];
  const [buckets, stats, names] = await Promise.all([
    queryRows(db.pool, bucketRow, `${scores} SELECT series, score, count(*)::int AS count FROM scores GROUP BY 1, 2 ORDER BY 1, 2`, params),
    queryRows(
      db.pool,
      seriesStatsRow,
      `${scores} SELECT series, count(*)::int AS count, avg(score)::float8 AS mean, percentile_disc(0.5) WITHIN GROUP (ORDER BY score) AS median FROM scores GROUP BY 1`,
      params,
    ),
    queryRows(
      db.pool,
      judgingNameRow,
      `SELECT j.id, d.name FROM comparison_judgings j JOIN comparison_datasets d ON d.id = j.dataset_id WHERE j.id = ANY($1::uuid[])`,
      [judgingIds],
    ),
  ]);
  const nameOf = new Map(names.map((row) => [row.id, row.name]));
  const statsOf = new Map(stats.map((row) => [row.series, row]));
  const keys = [FINEMED, ...judgingIds.filter((id) => nameOf.has(id))];
  return {
    field,
    series: keys.map((key) => {
      const stat = statsOf.get(key);
      return {
        key,
        name: key === FINEMED ? (runId ? `FineMed (run ${runId.slice(0, 8)})` : "FineMed") : (nameOf.get(key) ?? key),
        count: stat?.count ?? 0,
        mean: stat ? stat.mean : null,
        median: stat ? stat.median : null,
        buckets: buckets.filter((row) => row.series === key).map((row) => ({ score: row.score, count: row.count })),
      };
    }),
  };
}
