import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { embedderName, EMBEDDING_INPUTS, type EmbedderSpec, type EmbeddingInput } from "./embedder-spec";
import { VECTOR_ENCODINGS, type VectorEncoding } from "../vectors/vector-codec";

export interface EmbeddingSpaceRow {
  id: string;
  embedder: string;
  kind: "backend" | "lexical";
  input: EmbeddingInput;
  dimensions: number;
  encoding: VectorEncoding;
  createdAt: Date;
}

// Only ensureEmbeddingSpace writes these columns, from a checked spec: any other value is a drifted row.
const spaceRow = z.object({
  id: z.string(),
  embedder: z.string(),
  kind: z.enum(["backend", "lexical"]),
  input: z.enum(EMBEDDING_INPUTS),
  dimensions: z.number().int(),
  encoding: z.enum(VECTOR_ENCODINGS),
  created_at: z.date(),
});
const countedSpaceRow = spaceRow.extend({ vector_count: z.number().int() });
const vectorCountRow = z.object({ n: z.number().int() });

const COLUMNS = "id, embedder, kind, input, dimensions, encoding, created_at";

function toSpace(row: z.output<typeof spaceRow>): EmbeddingSpaceRow {
  return {
    id: row.id,
    embedder: row.embedder,
    kind: row.kind,
    input: row.input,
    dimensions: row.dimensions,
    encoding: row.encoding,
    createdAt: row.created_at,
  };
}

/**
 * The space of (embedder, input), created on first use. A backend's dimensions are only known from its
 * first answer, so `dimensions` may be given later through `settleDimensions`.
 */
export async function ensureEmbeddingSpace(db: Database, spec: EmbedderSpec, input: EmbeddingInput): Promise<EmbeddingSpaceRow> {
  const name = embedderName(spec);
  const dimensions = spec.dimensions ?? 0;
  await db.pool.query(
    `INSERT INTO embedding_spaces (embedder, kind, input, dimensions, encoding) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (embedder, input) DO NOTHING`,
    [name, spec.kind, input, dimensions, spec.encoding],
  );
  const [found] = await queryRows(db.pool, spaceRow, `SELECT ${COLUMNS} FROM embedding_spaces WHERE embedder = $1 AND input = $2`, [
    name,
    input,
  ]);
  return toSpace(found!);
}

/** Records a backend space's dimensions from its first vectors; refuses a server that changed size. */
export async function settleDimensions(db: Database, space: EmbeddingSpaceRow, dimensions: number): Promise<EmbeddingSpaceRow> {
  if (space.dimensions === dimensions) return space;
  if (space.dimensions !== 0)
    throw new Error(`the embedder ${space.embedder} returned ${dimensions}-d vectors, but its space holds ${space.dimensions}-d ones`);
  await db.pool.query(`UPDATE embedding_spaces SET dimensions = $2 WHERE id = $1 AND dimensions = 0`, [space.id, dimensions]);
  return { ...space, dimensions };
}

export async function embeddingSpace(db: Database, id: string): Promise<EmbeddingSpaceRow | null> {
  const [found] = await queryRows(db.pool, spaceRow, `SELECT ${COLUMNS} FROM embedding_spaces WHERE id = $1`, [id]);
  return found ? toSpace(found) : null;
}

/** The vectors a space holds now (every one, whatever scope embedded it). */
export async function spaceVectorCount(db: Database, spaceId: string): Promise<number> {
  const [counted] = await queryRows(db.pool, vectorCountRow, `SELECT count(*)::int AS n FROM embeddings WHERE space_id = $1`, [spaceId]);
  return counted!.n;
}

/**
 * The space a neighbour query uses when none is named: the one holding the most vectors, the newest on
 * a tie (a studio usually has one per embedder; the richest is the one a curator has been mapping).
 */
export async function defaultEmbeddingSpace(db: Database): Promise<(EmbeddingSpaceRow & { vectorCount: number }) | null> {
  const [row] = await queryRows(
    db.pool,
    countedSpaceRow,
    `SELECT ${COLUMNS.split(", ")
      .map((c) => `sp.${c}`)
      .join(", ")}, count(e.instruction_id)::int AS vector_count
       FROM embedding_spaces sp LEFT JOIN embeddings e ON e.space_id = sp.id
      GROUP BY sp.id ORDER BY vector_count DESC, sp.created_at DESC LIMIT 1`,
  );
  return row && row.vector_count > 0 ? { ...toSpace(row), vectorCount: row.vector_count } : null;
}
