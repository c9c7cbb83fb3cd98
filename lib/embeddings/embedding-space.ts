import type { Database } from "../db/database";
import { embedderName, EMBEDDING_INPUTS, type EmbedderSpec, type EmbeddingInput } from "./embedder-spec";
import type { VectorEncoding } from "../vectors/vector-codec";

export interface EmbeddingSpaceRow {
  id: string;
  embedder: string;
  kind: "backend" | "lexical";
  input: EmbeddingInput;
  dimensions: number;
  encoding: VectorEncoding;
  createdAt: Date;
}

interface SpaceRecord {
  id: string;
  embedder: string;
  kind: string;
  input: string;
  dimensions: number;
  encoding: string;
  created_at: Date;
}

const COLUMNS = "id, embedder, kind, input, dimensions, encoding, created_at";

function toSpace(row: SpaceRecord): EmbeddingSpaceRow {
  return {
    id: row.id,
    embedder: row.embedder,
    kind: row.kind === "backend" ? "backend" : "lexical",
    input: EMBEDDING_INPUTS.find((input) => input === row.input) ?? "instruction",
    dimensions: row.dimensions,
    encoding: row.encoding === "f16" ? "f16" : "f32",
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
  const found = await db.pool.query<SpaceRecord>(`SELECT ${COLUMNS} FROM embedding_spaces WHERE embedder = $1 AND input = $2`, [
    name,
    input,
  ]);
  return toSpace(found.rows[0]!);
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
  const found = await db.pool.query<SpaceRecord>(`SELECT ${COLUMNS} FROM embedding_spaces WHERE id = $1`, [id]);
  return found.rows[0] ? toSpace(found.rows[0]) : null;
}

/**
 * The space a neighbour query uses when none is named: the one holding the most vectors, the newest on
 * a tie (a studio usually has one per embedder; the richest is the one a curator has been mapping).
 */
export async function defaultEmbeddingSpace(db: Database): Promise<(EmbeddingSpaceRow & { vectorCount: number }) | null> {
  const found = await db.pool.query<SpaceRecord & { vector_count: number }>(
    `SELECT ${COLUMNS.split(", ")
      .map((c) => `sp.${c}`)
      .join(", ")}, count(e.instruction_id)::int AS vector_count
       FROM embedding_spaces sp LEFT JOIN embeddings e ON e.space_id = sp.id
      GROUP BY sp.id ORDER BY vector_count DESC, sp.created_at DESC LIMIT 1`,
  );
  const row = found.rows[0];
  return row && row.vector_count > 0 ? { ...toSpace(row), vectorCount: row.vector_count } : null;
}
