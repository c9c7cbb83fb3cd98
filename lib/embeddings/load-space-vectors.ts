import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { SqlParams } from "../samples/sql-params";
import { vectorMatrix, type VectorMatrix } from "../vectors/vector-matrix";
import type { ScopeWhere } from "./embedding-scope";
import type { EmbeddingSpaceRow } from "./embedding-space";
import { decodeVector } from "../vectors/vector-codec";

export interface SpaceVectors {
  /** instruction ids, ascending; row i of `matrix` is ids[i]'s vector. */
  ids: BigInt64Array;
  matrix: VectorMatrix;
}

const PAGE_ROWS = 5_000;

const countRow = z.object({ n: z.number().int() });
// bytea arrives as a Buffer (a Uint8Array); decodeVector reads it in place, so the check is instanceof, never a copy.
const storedVectorRow = z.object({ instruction_id: z.string(), vector: z.instanceof(Uint8Array) });

/**
 * A space's vectors (optionally only those of samples matching `where`, over `samples s`) decoded into
 * one contiguous matrix, backed by a SharedArrayBuffer so a worker thread reads it without a copy.
 * Paged by instruction id, so the result set never sits twice in memory.
 */
export async function loadSpaceVectors(db: Database, space: EmbeddingSpaceRow, where?: ScopeWhere): Promise<SpaceVectors> {
  const countParams = new SqlParams();
  const [counted] = await queryRows(
    db.pool,
    countRow,
    where
      ? `SELECT count(*)::int AS n FROM embeddings e JOIN samples s ON s.instruction_id = e.instruction_id WHERE e.space_id = ${countParams.add(space.id, "uuid")} AND (${where(countParams)})`
      : `SELECT count(*)::int AS n FROM embeddings e WHERE e.space_id = ${countParams.add(space.id, "uuid")}`,
    countParams.values,
  );
  const expected = counted!.n;
  const d = space.dimensions;
  const values = new Float32Array(new SharedArrayBuffer(expected * d * 4));
  const ids = new BigInt64Array(expected);
  let count = 0;
  let after = "-1";
  for (;;) {
    const params = new SqlParams();
    const page = await queryRows(
      db.pool,
      storedVectorRow,
      `SELECT e.instruction_id::text AS instruction_id, e.vector FROM embeddings e ${where ? "JOIN samples s ON s.instruction_id = e.instruction_id" : ""}
        WHERE e.space_id = ${params.add(space.id, "uuid")} AND e.instruction_id > ${params.add(after, "bigint")} ${where ? `AND (${where(params)})` : ""}
        ORDER BY e.instruction_id LIMIT ${PAGE_ROWS}`,
      params.values,
    );
    for (const row of page) {
      // Rows added since the count are left for the next refresh rather than overflowing the block.
      if (count === expected) break;
      ids[count] = BigInt(row.instruction_id);
      decodeVector(row.vector, space.encoding, d, values, count * d);
      count += 1;
    }
    if (page.length < PAGE_ROWS || count === expected) break;
    after = page.at(-1)!.instruction_id;
  }
  return { ids: ids.subarray(0, count), matrix: vectorMatrix(count, d, values.subarray(0, count * d)) };
}
