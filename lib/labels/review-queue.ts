import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { filterContext } from "../samples/sample-filter-context";
import type { SampleFiltersInput } from "../samples/sample-query";
import { SAMPLE_ROW_COLUMNS, sampleRecordRow, toSampleRow, type SampleRow } from "../samples/sample-row";

/**
 * The review queue: kept samples whose model label is likely wrong and that no curator has overridden.
 * Score (higher first, ties by id):
 *   3  secondary is None under a primary that has (active) secondaries: the classifier gave up a level
 *   3  model confidence (the lower of the two labels' exp(mean token logprob)) is below
 *      LOW_CONFIDENCE_BELOW (0.5): the classifier itself was unsure; samples without logprobs never score it
 *   2  the classifier's raw answer needed mapping (raw ≠ the department it was mapped to)
 *   2  the label uses a retired department (e.g. after a merge or retirement)
 *   3  most of its nearest neighbours in an embedding space have another department (mislabel hints,
 *      written by the map's projection task, lib/neighbours/mislabel-hints.ts; a hint only counts while
 *      the sample still has the department it was computed for)
 *   1  the chosen answer's reward is below the threshold (default: the 10th percentile of kept samples)
 * Ties on score go to the larger neighbour disagreement, then to the lower id.
 * The weights rank "the label is incomplete or unsure" above "the answer was odd" above "the answer was
 * weak"; a sample needs at least one signal to be queued.
 */
export interface ReviewItem {
  sample: SampleRow;
  score: number;
  reasons: string[];
  /** samples.model_confidence; null when the classifier returned no logprobs. */
  confidence: number | null;
  /** Share of the nearest neighbours with another department (0.5–1), when a mislabel hint holds. */
  neighbourDisagreement: number | null;
}

/**
 * Below this the classifier's geometric-mean token probability says it was closer to guessing than to
 * knowing; a one-token department answer at 0.5 is a coin flip between two labels.
 */
export const LOW_CONFIDENCE_BELOW = 0.5;

export interface ReviewPage {
  items: ReviewItem[];
  nextCursor: string | null;
  /** The low-reward threshold used; pass it back with the next page so the order stays the same. */
  lowRewardBelow: number | null;
}

export interface ReviewQueueQuery {
  filters?: SampleFiltersInput;
  after?: string;
  limit?: number;
  lowRewardBelow?: number | null;
}

const NEIGHBOURS_DISAGREE = 32;

const rewardPercentileRow = z.object({ p10: z.number().nullable() });
/** A queued sample with its reason bits and score; the hint's columns are null where it has no mislabel hint. */
const queueRow = sampleRecordRow.extend({
  flags: z.int(),
  score: z.int(),
  share: z.number(),
  model_confidence: z.number().nullable(),
  majority_department_id: z.int().nullable(),
  majority_count: z.int().nullable(),
  neighbour_count: z.int().nullable(),
});
type QueueRecord = z.output<typeof queueRow>;

const REASONS: [number, string][] = [
  [16, "low classifier confidence"],
  [8, "secondary is None under a primary that has secondaries"],
  [4, "the classifier's raw answer needed mapping"],
  [2, "uses a retired department"],
  [1, "low reward"],
];

function encode(score: number, disagreement: number, id: number): string {
  return Buffer.from(JSON.stringify([score, disagreement, id])).toString("base64url");
}

function decode(cursor: string): [number, number, number] {
  const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((value) => typeof value === "number"))
    throw new Error("the review cursor is not valid");
  return [parsed[0] as number, parsed[1] as number, parsed[2] as number];
}

export async function reviewQueue(db: Database, query: ReviewQueueQuery = {}): Promise<ReviewPage> {
  const context = await filterContext(db, query.filters);
  const { params, index } = context;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  let lowRewardBelow = query.lowRewardBelow;
  if (lowRewardBelow === undefined) {
    const [percentile] = await queryRows(
      db.pool,
      rewardPercentileRow,
      `SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY reward_score) AS p10 FROM samples WHERE status = 'kept' AND reward_score IS NOT NULL`,
    );
    lowRewardBelow = percentile?.p10 ?? null;
  }
  const withSecondaries = index.taxonomy.departments
    .filter((d) => d.level === "primary" && index.activeSecondariesOf(d.id).length > 0)
    .map((d) => d.id);
  const retired = index.taxonomy.departments.filter((d) => d.retiredAt !== null).map((d) => d.id);
  const parents = params.add(withSecondaries, "smallint[]");
  const retiredIds = params.add(retired, "smallint[]");
  const low = params.add(lowRewardBelow, "float8");
  const unsure = params.add(LOW_CONFIDENCE_BELOW, "float8");
  // Bits, so the reasons can be read back from the one number; the score weighs them as documented above.
  const flags = `((CASE WHEN s.model_confidence < ${unsure} THEN 16 ELSE 0 END)
                | (CASE WHEN s.secondary_id IS NULL AND s.primary_id = ANY(${parents}) THEN 8 ELSE 0 END)
                | (CASE WHEN s.label_remapped THEN 4 ELSE 0 END)
                | (CASE WHEN s.primary_id = ANY(${retiredIds}) OR s.secondary_id = ANY(${retiredIds}) THEN 2 ELSE 0 END)
                | (CASE WHEN s.reward_score < ${low} THEN 1 ELSE 0 END)
                | (CASE WHEN h.department_id = coalesce(s.secondary_id, s.primary_id) THEN ${NEIGHBOURS_DISAGREE} ELSE 0 END))`;
  const cursorCondition = query.after
    ? (() => {
        const [score, disagreement, id] = decode(query.after);
        const scoreParam = params.add(score, "int");
        const shareParam = params.add(disagreement, "float8");
        return `AND (g.score < ${scoreParam} OR (g.score = ${scoreParam} AND (g.share < ${shareParam} OR (g.share = ${shareParam} AND s.instruction_id > ${params.add(id, "bigint")}))))`;
      })()
    : "";
  // The top of the queue is chosen from the narrow samples rows first; only that page is joined to its text.
  const queued = await queryRows(
    db.pool,
    queueRow,
    `WITH q AS (
       SELECT s.instruction_id, f.flags, g.score, g.share
         FROM samples s
         LEFT JOIN mislabel_hints h ON h.instruction_id = s.instruction_id
        CROSS JOIN LATERAL (SELECT ${flags} AS flags) f
        CROSS JOIN LATERAL (SELECT (CASE WHEN f.flags & 16 <> 0 THEN 3 ELSE 0 END) + (CASE WHEN f.flags & 8 <> 0 THEN 3 ELSE 0 END) + (CASE WHEN f.flags & 4 <> 0 THEN 2 ELSE 0 END)
                                 + (CASE WHEN f.flags & 2 <> 0 THEN 2 ELSE 0 END) + (f.flags & 1) + (CASE WHEN f.flags & ${NEIGHBOURS_DISAGREE} <> 0 THEN 3 ELSE 0 END) AS score,
                                   (CASE WHEN f.flags & ${NEIGHBOURS_DISAGREE} <> 0 THEN h.share ELSE 0 END)::float8 AS share) g
        WHERE ${context.where} AND s.status = 'kept' AND s.curated_primary_id IS NULL AND f.flags <> 0 ${cursorCondition}
        ORDER BY g.score DESC, g.share DESC, s.instruction_id
        LIMIT ${params.add(limit + 1, "int")}
     )
     SELECT ${SAMPLE_ROW_COLUMNS}, q.flags, q.score, q.share, s.model_confidence, h.majority_department_id, h.majority_count, h.neighbour_count
       FROM q JOIN samples s ON s.instruction_id = q.instruction_id JOIN sample_documents d ON d.instruction_id = q.instruction_id
       LEFT JOIN mislabel_hints h ON h.instruction_id = q.instruction_id
      ORDER BY q.score DESC, q.share DESC, q.instruction_id`,
    params.values,
  );
  const departmentName = (id: number | null) =>
    index.taxonomy.departments.find((department) => department.id === id)?.name ?? "another department";
  const neighbourReason = (row: QueueRecord) =>
    `${row.majority_count} of ${row.neighbour_count} nearest neighbours are ${departmentName(row.majority_department_id)}`;
  const rows = queued.slice(0, limit);
  const last = rows.at(-1);
  return {
    items: rows.map((row) => ({
      sample: toSampleRow(row, index),
      score: row.score,
      reasons: [
        ...((row.flags & NEIGHBOURS_DISAGREE) !== 0 ? [neighbourReason(row)] : []),
        ...REASONS.filter(([bit]) => (row.flags & bit) !== 0).map(([, reason]) => reason),
      ],
      confidence: row.model_confidence,
      neighbourDisagreement: (row.flags & NEIGHBOURS_DISAGREE) !== 0 ? row.share : null,
    })),
    nextCursor: queued.length > limit && last ? encode(last.score, last.share, last.instruction_id) : null,
    lowRewardBelow,
  };
}
