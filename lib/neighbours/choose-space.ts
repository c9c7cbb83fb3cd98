import type { Database } from "../db/database";
import { defaultEmbeddingSpace, embeddingSpace, type EmbeddingSpaceRow } from "../embeddings/embedding-space";
import { NeighbourQueryError } from "./neighbour-errors";

export interface ChosenSpace extends EmbeddingSpaceRow {
  vectorCount: number;
}

/** The named space, or the one holding the most vectors (the newest on a tie). */
export async function chooseSpace(db: Database, spaceId?: string): Promise<ChosenSpace> {
  if (spaceId) {
    const space = await embeddingSpace(db, spaceId);
    if (!space) throw new NeighbourQueryError(`no embedding space ${spaceId}`, 404);
    const counted = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM embeddings WHERE space_id = $1`, [space.id]);
    return { ...space, vectorCount: counted.rows[0]!.n };
  }
  const space = await defaultEmbeddingSpace(db);
  if (!space) throw new NeighbourQueryError("no samples are embedded yet: create a map first (finemed map project, or the Map page)", 404);
  return space;
}
