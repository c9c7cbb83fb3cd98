import type pg from "pg";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

/** A half-open range of instruction ids, read as one part of a projection's points. */
export interface PointRange {
  from: number;
  to: number;
}

// PostgreSQL 15 packs the records of one statement on one core (string_agg runs in no parallel plan), so
// a large projection is read as id ranges on separate connections; the embedded database runs one query
// at a time, so there it stays one part.
const POINTS_PER_PART = 250_000;
const MAX_PARTS = 4;

const projectionSpanRow = z.object({
  points: z.number().int().nullable(),
  low: z.number().int().nullable(),
  high: z.number().int().nullable(),
});

/** The id ranges to read a projection's points in, or null when there is no such projection. */
export async function pointRanges(
  db: Pick<Database, "pool" | "embedded">,
  projectionId: string,
  pointsPerPart = POINTS_PER_PART,
): Promise<PointRange[] | null> {
  const [span] = await queryRows(
    db.pool,
    projectionSpanRow,
    `SELECT coalesce(point_count, 0) AS points,
            (SELECT min(instruction_id) FROM projection_points WHERE projection_id = $1::uuid) AS low,
            (SELECT max(instruction_id) FROM projection_points WHERE projection_id = $1::uuid) AS high
       FROM projections WHERE id = $1::uuid`,
    [projectionId],
  );
  if (!span) return null;
  const { low, high } = span;
  if (low === null || high === null) return [{ from: 0, to: 1 }];
  // A projection still being written counts 0 so far: the id span is an upper bound on its points.
  const points = span.points !== null && span.points > 0 ? span.points : high + 1 - low;
  const parts = db.embedded ? 1 : Math.max(1, Math.min(MAX_PARTS, Math.ceil(points / pointsPerPart)));
  const width = Math.ceil((high + 1 - low) / parts);
  return Array.from({ length: parts }, (_, part) => ({
    from: low + part * width,
    to: part === parts - 1 ? high + 1 : low + (part + 1) * width,
  }));
}

/**
 * Runs `read` for every range at once, each on its own connection, and returns the answers in range order.
 * No part holds a connection while it waits for another's, so a busy pool only queues them.
 */
export function readRanges<T>(
  db: Pick<Database, "pool">,
  ranges: PointRange[],
  read: (client: pg.PoolClient, range: PointRange) => Promise<T>,
): Promise<T[]> {
  return Promise.all(
    ranges.map(async (range) => {
      const client = await db.pool.connect();
      try {
        return await read(client, range);
      } finally {
        client.release();
      }
    }),
  );
}
