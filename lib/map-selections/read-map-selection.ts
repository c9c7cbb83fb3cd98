import type { Database } from "../db/database";

export interface MapSelectionSummary {
  id: string;
  projectionId: string;
  count: number;
  createdBy: string;
  createdAt: string;
}

/** A stored selection's facts (not its ids), or null when there is none with that id. */
export async function readMapSelection(db: Database, id: string): Promise<MapSelectionSummary | null> {
  const result = await db.pool.query<{ id: string; projection_id: string; point_count: number; created_by: string; created_at: Date }>(
    "SELECT id, projection_id, point_count, created_by, created_at FROM map_selections WHERE id = $1::uuid",
    [id],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    projectionId: row.projection_id,
    count: row.point_count,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}
