import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { chooseSpace } from "./choose-space";
import { NeighbourQueryError } from "./neighbour-errors";
import { decodeVector } from "../vectors/vector-codec";
import { persistedIndex, searchIndex } from "./persisted-index";

export interface NeighbourSpace {
  id: string;
  embedder: string;
  kind: "backend" | "lexical";
}

export interface SampleNeighbour {
  /** Instruction ids stay far below 2^53, so they travel as JSON numbers like everywhere in the studio. */
  instructionId: number;
  similarity: number;
  instruction: string;
  /** The department in force (curated when overridden, else the model's). */
  primaryId: number | null;
  secondaryId: number | null;
}

export interface SampleNeighbours {
  space: NeighbourSpace;
  neighbours: SampleNeighbour[];
}

export const MAX_NEIGHBOURS = 100;

const hitRow = z.object({
  instruction_id: z.string(),
  instruction: z.string(),
  primary_id: z.number().int().nullable(),
  secondary_id: z.number().int().nullable(),
});
type HitRow = z.output<typeof hitRow>;
// bytea arrives as a Buffer (a Uint8Array); decodeVector reads it in place.
const ownVectorRow = z.object({ vector: z.instanceof(Uint8Array) });

/** Text and labels of the hits, in the hits' order. */
export async function describeHits(db: Database, ids: string[]): Promise<Map<string, HitRow>> {
  const rows = await queryRows(
    db.pool,
    hitRow,
    `SELECT d.instruction_id::text AS instruction_id, d.instruction, s.primary_id, s.secondary_id
       FROM sample_documents d JOIN samples s ON s.instruction_id = d.instruction_id WHERE d.instruction_id = ANY($1::bigint[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.instruction_id, row]));
}

/** A sample's k nearest samples by cosine similarity in an embedding space (the richest one by default). */
export async function sampleNeighbours(
  db: Database,
  instructionId: bigint,
  options: { k?: number; spaceId?: string } = {},
): Promise<SampleNeighbours> {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1 || k > MAX_NEIGHBOURS)
    throw new NeighbourQueryError(`k must be an integer from 1 to ${MAX_NEIGHBOURS}`, 400);
  const space = await chooseSpace(db, options.spaceId);
  const index = await persistedIndex(db, space);
  const [own] = await queryRows(db.pool, ownVectorRow, `SELECT vector FROM embeddings WHERE space_id = $1 AND instruction_id = $2`, [
    space.id,
    instructionId.toString(),
  ]);
  if (!own) throw new NeighbourQueryError(`sample ${instructionId} has no embedding in ${space.embedder}; map it first`, 404);
  const query = decodeVector(own.vector, space.encoding, space.dimensions);
  const hits = await searchIndex(db, space, index, query, k, { exclude: instructionId });
  const ids = hits.map((hit) => hit.instructionId.toString());
  const described = await describeHits(db, ids);
  return {
    space: { id: space.id, embedder: space.embedder, kind: space.kind },
    neighbours: hits.flatMap((hit, i) => {
      const found = described.get(ids[i]!);
      return found
        ? [
            {
              instructionId: Number(ids[i]!),
              similarity: hit.similarity,
              instruction: found.instruction,
              primaryId: found.primary_id,
              secondaryId: found.secondary_id,
            },
          ]
        : [];
    }),
  };
}
