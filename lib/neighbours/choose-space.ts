import type { Database } from "../db/database";
import { defaultEmbeddingSpace, embeddingSpace, spaceVectorCount, type EmbeddingSpaceRow } from "../embeddings/embedding-space";
import { NeighbourQueryError } from "./neighbour-errors";

export interface ChosenSpace extends EmbeddingSpaceRow {
  vectorCount: number;
}

const DEFAULT_RECHECK_MS = 5_000;
const shared = globalThis as { finemedDefaultSpaces?: WeakMap<Database, { space: ChosenSpace; at: number }> };
const defaults = (shared.finemedDefaultSpaces ??= new WeakMap());

/**
 * The named space, or the one holding the most vectors (the newest on a tie); the default is looked up
 * at most every few seconds, since counting 300,000 vectors per query would cost more than the search.
 */
export async function chooseSpace(db: Database, spaceId?: string): Promise<ChosenSpace> {
  if (spaceId) {
    const space = await embeddingSpace(db, spaceId);
    if (!space) throw new NeighbourQueryError(`no embedding space ${spaceId}`, 404);
    return { ...space, vectorCount: await spaceVectorCount(db, space.id) };
  }
  const cached = defaults.get(db);
  if (cached && Date.now() - cached.at < DEFAULT_RECHECK_MS) return cached.space;
  const space = await defaultEmbeddingSpace(db);
  if (space) defaults.set(db, { space, at: Date.now() });
  if (!space) throw new NeighbourQueryError("no samples are embedded yet: create a map first (finemed map project, or the Map page)", 404);
  return space;
}
