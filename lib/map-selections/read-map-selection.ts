import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

export interface MapSelectionSummary {
  id: string;
  projectionId: string;
  count: number;
  createdBy: string;
  createdAt: string;
}

const mapSelectionRow = z.object({
  id: z.string(),
  projection_id: z.string(),
  point_count: z.int(),
  created_by: z.string(),
  created_at: z.date(),
});

/** A stored selection's facts (not its ids), or null when there is none with that id. */
export async function readMapSelection(db: Database, id: string): Promise<MapSelectionSummary | null> {
  const [row] = await queryRows(
    db.pool,
    mapSelectionRow,
    "SELECT id, projection_id, point_count, created_by, created_at FROM map_selections WHERE id = $1::uuid",
    [id],
  );
  if (!row) return null;
  return {
    id: row.id,
    projectionId: row.projection_id,
    count: row.point_count,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}
