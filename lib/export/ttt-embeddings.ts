import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { decodeVector, type VectorEncoding } from "../vectors/vector-codec";
import { DATA_DIR } from "./split-files";

/** What the manifest and the card say about the TTT index's vectors. */
export interface TttEmbeddings {
  embeddings: "present" | "absent";
  /** The embedding space's embedder, e.g. backend:BAAI/bge-large-en-v1.5 or lexical:tfidf-hash-rp-256. */
  embedder: string | null;
  dimensions: number | null;
  /** The .npy file: row i is the vector of row i of the ttt_index data file. */
  file: string | null;
  note: string;
}

export const TTT_EMBEDDINGS_FILE = `${DATA_DIR}/ttt_index.embeddings.npy`;
const PAGE_IDS = 2_000;

/** The embedding space holding vectors for the most of the index's rows, and how many. */
const coveringSpaceRow = z.object({
  id: z.string(),
  embedder: z.string(),
  kind: z.string(),
  dimensions: z.number().int(),
  encoding: z.string(),
  covered: z.number().int(),
});
const vectorRow = z.object({ id: z.string(), vector: z.instanceof(Buffer) });

/**
 * The NumPy .npy v1.0 header for a C-order little-endian float32 matrix: the format numpy.load and
 * every retrieval library read without a parser of ours; the header is padded so the data is 64-byte aligned.
 */
function npyHeader(rows: number, columns: number): Buffer {
  const dictionary = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
  const unpadded = 10 + dictionary.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const header = `${dictionary}${" ".repeat(padding)}\n`;
  const bytes = Buffer.alloc(10 + header.length);
  bytes.write("\x93NUMPY", 0, "latin1");
  bytes[6] = 1;
  bytes[7] = 0;
  bytes.writeUInt16LE(header.length, 8);
  bytes.write(header, 10, "latin1");
  return bytes;
}

/**
 * Writes the TTT index's vectors beside it when one embedding space holds a vector for every one of its
 * rows (the space covering them, a backend's before the lexical one on a tie, then the older): the
 * index then needs no embedder run to be searched. Otherwise says how many rows a space covers.
 */
export async function writeTttEmbeddings(client: pg.PoolClient, dir: string, rowIds: readonly number[]): Promise<TttEmbeddings> {
  const absent = (note: string): TttEmbeddings => ({ embeddings: "absent", embedder: null, dimensions: null, file: null, note });
  if (rowIds.length === 0) return absent("the TTT index is empty");
  const ids = rowIds.map(String);
  const [space] = await queryRows(
    client,
    coveringSpaceRow,
    `SELECT sp.id, sp.embedder, sp.kind, sp.dimensions, sp.encoding, count(*)::int AS covered
       FROM embeddings e JOIN embedding_spaces sp ON sp.id = e.space_id
      WHERE e.instruction_id = ANY($1::bigint[])
      GROUP BY sp.id ORDER BY covered DESC, (sp.kind = 'backend') DESC, sp.created_at, sp.id LIMIT 1`,
    [ids],
  );
  if (!space)
    return absent("no row of the TTT index has an embedding yet: map the version's samples (finemed map project) and export again");
  if (space.covered < ids.length) {
    return absent(
      `${space.embedder} holds vectors for ${space.covered.toLocaleString("en-US")} of the ${ids.length.toLocaleString("en-US")} rows: map the rest and export again`,
    );
  }
  const d = space.dimensions;
  const encoding: VectorEncoding = space.encoding === "f16" ? "f16" : "f32";
  const file = await open(join(dir, TTT_EMBEDDINGS_FILE), "wx");
  try {
    await file.write(npyHeader(ids.length, d));
    for (let start = 0; start < ids.length; start += PAGE_IDS) {
      const page = ids.slice(start, start + PAGE_IDS);
      const rows = await queryRows(
        client,
        vectorRow,
        `SELECT instruction_id::text AS id, vector FROM embeddings WHERE space_id = $1 AND instruction_id = ANY($2::bigint[])`,
        [space.id, page],
      );
      const byId = new Map(rows.map((row) => [row.id, row.vector]));
      const block = new Float32Array(page.length * d);
      page.forEach((id, i) => decodeVector(byId.get(id)!, encoding, d, block, i * d));
      // Float32Array is little-endian on every platform Node runs on.
      await file.write(new Uint8Array(block.buffer));
    }
  } finally {
    await file.close();
  }
  return {
    embeddings: "present",
    embedder: space.embedder,
    dimensions: d,
    file: TTT_EMBEDDINGS_FILE,
    note: `${TTT_EMBEDDINGS_FILE} holds one float32 vector (L2-normalised, cosine = dot product) per row of the TTT index, in its order; embed a test question with ${space.embedder} to retrieve`,
  };
}
