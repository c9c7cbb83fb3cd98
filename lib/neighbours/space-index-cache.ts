import type { Database } from "../db/database";
import type { EmbeddingSpaceRow } from "../embeddings/embedding-space";
import { SpaceIndex } from "./space-index";

/** How long a loaded index is trusted before its space's size is checked again. */
const RECHECK_MS = 5_000;
const PAGE_ROWS = 10_000;

export interface LoadedIndex {
  index: SpaceIndex;
  /** 1 for rows that are long-form reasoning samples (complex, kept, with a chosen answer): the TTT pool. */
  reasoning: Uint8Array;
}

interface Entry {
  loaded: Promise<LoadedIndex>;
  count: number;
  checkedAt: number;
}

// On globalThis: Next bundles each route on its own, and two routes must not each hold a copy of a
// 300,000-vector index.
const shared = globalThis as { finemedSpaceIndexes?: Map<string, Entry> };
const entries = (shared.finemedSpaceIndexes ??= new Map<string, Entry>());

async function vectorCount(db: Database, spaceId: string): Promise<number> {
  const counted = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM embeddings WHERE space_id = $1`, [spaceId]);
  return counted.rows[0]!.n;
}

/** Reads the space's vectors as stored (f16 bit patterns stay 2 bytes), paged by instruction id. */
async function load(db: Database, space: EmbeddingSpaceRow, expected: number): Promise<LoadedIndex> {
  const d = space.dimensions;
  const full = space.encoding === "f16" ? new Uint16Array(expected * d) : new Float32Array(expected * d);
  const ids = new BigInt64Array(expected);
  const reasoning = new Uint8Array(expected);
  let count = 0;
  let after = "-1";
  for (;;) {
    const page = await db.pool.query<{ instruction_id: string; vector: Buffer; reasoning: boolean }>(
      `SELECT e.instruction_id::text AS instruction_id, e.vector,
              coalesce(s.tier = 'complex' AND s.status = 'kept' AND s.chosen_response_id IS NOT NULL, false) AS reasoning
         FROM embeddings e LEFT JOIN samples s ON s.instruction_id = e.instruction_id
        WHERE e.space_id = $1 AND e.instruction_id > $2::bigint ORDER BY e.instruction_id LIMIT ${PAGE_ROWS}`,
      [space.id, after],
    );
    for (const row of page.rows) {
      if (count === expected) break;
      const bytes = row.vector;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (full instanceof Uint16Array) for (let j = 0; j < d; j += 1) full[count * d + j] = view.getUint16(j * 2, true);
      else for (let j = 0; j < d; j += 1) full[count * d + j] = view.getFloat32(j * 4, true);
      ids[count] = BigInt(row.instruction_id);
      reasoning[count] = row.reasoning ? 1 : 0;
      count += 1;
    }
    if (page.rows.length < PAGE_ROWS || count === expected) break;
    after = page.rows.at(-1)!.instruction_id;
  }
  return {
    index: new SpaceIndex(ids.subarray(0, count), d, full.subarray(0, count * d)),
    reasoning: reasoning.subarray(0, count),
  };
}

/**
 * The space's index, loaded once per process and rebuilt when the space's vector count changed (checked
 * at most every RECHECK_MS, so a query does not pay a count over 300,000 rows each time).
 */
export async function spaceIndex(db: Database, space: EmbeddingSpaceRow): Promise<LoadedIndex> {
  const now = Date.now();
  const entry = entries.get(space.id);
  if (entry && now - entry.checkedAt < RECHECK_MS) return entry.loaded;
  const count = await vectorCount(db, space.id);
  if (entry && entry.count === count) {
    entry.checkedAt = now;
    return entry.loaded;
  }
  const loaded = load(db, space, count);
  entries.set(space.id, { loaded, count, checkedAt: now });
  loaded.catch(() => entries.delete(space.id));
  return loaded;
}

/** The row of an instruction id (ids are ascending), or -1. */
export function rowOfInstruction(ids: BigInt64Array, instructionId: bigint): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = ids[middle]!;
    if (value === instructionId) return middle;
    if (value < instructionId) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
