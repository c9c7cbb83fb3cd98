import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { spaceVectorCount, type EmbeddingSpaceRow } from "../embeddings/embedding-space";
import { decodeLsaModel } from "../embeddings/lsa-model-codec";
import type { LsaEmbedder } from "../embeddings/lsa-embedder";
import { decodeVector, fromHalf, toHalf } from "../vectors/vector-codec";
import { fitPca, projectRow, type PcaModel } from "../vectors/randomized-pca";
import { vectorMatrix } from "../vectors/vector-matrix";
import { NeighbourQueryError } from "./neighbour-errors";

/**
 * A space's neighbour index, built by the worker and stored in `neighbour_indexes`; the web process only
 * loads and queries it. Each vector is kept as a SKETCH_COMPONENTS-d PCA sketch (float16 on disk,
 * float32 in memory: 77 MB for 300,000 vectors, against ~600 MB for the full vectors the first index held).
 * A query scans the sketches, then re-ranks the best RERANK candidates exactly with their full vectors
 * read from `embeddings` by primary key. At most MAX_LOADED spaces are held, least recently used first
 * out, so the web process does not grow with the number of spaces.
 */
export const SKETCH_COMPONENTS = 64;
export const RERANK = 400;
export const MAX_LOADED = 2;
const PCA_SAMPLE = 2_000;
const PAGE_ROWS = 10_000;
const RECHECK_MS = 5_000;

export interface PersistedIndex {
  spaceId: string;
  builtAt: string;
  ids: BigInt64Array;
  reasoning: Uint8Array;
  components: number;
  sketch: Float32Array;
  pca: PcaModel;
  queryEmbedder: LsaEmbedder | null;
}

// bytea arrives from node-postgres as a Buffer, a Uint8Array: checked by instanceof and read in place, never copied here.
const bytea = z.instanceof(Uint8Array);
const pagedVectorRow = z.object({ instruction_id: z.string(), vector: bytea, reasoning: z.boolean() });
const rerankVectorRow = z.object({ instruction_id: z.string(), vector: bytea });
const indexCountRow = z.object({ vector_count: z.number().int() });
const indexStampRow = z.object({ built_at: z.string() });
const storedIndexRow = z.object({
  built_at: z.string(),
  vector_count: z.number().int(),
  components: z.number().int(),
  ids: bytea,
  reasoning: bytea,
  sketch: bytea,
  pca: bytea,
  query_model: bytea.nullable(),
});

interface VectorPage {
  ids: string[];
  reasoning: boolean[];
  vectors: Uint8Array[];
}

async function* pageVectors(db: Database, spaceId: string): AsyncGenerator<VectorPage> {
  let after = "-1";
  for (;;) {
    const page = await queryRows(
      db.pool,
      pagedVectorRow,
      `SELECT e.instruction_id::text AS instruction_id, e.vector,
              coalesce(s.tier = 'complex' AND s.status = 'kept' AND s.chosen_response_id IS NOT NULL, false) AS reasoning
         FROM embeddings e LEFT JOIN samples s ON s.instruction_id = e.instruction_id
        WHERE e.space_id = $1 AND e.instruction_id > $2::bigint ORDER BY e.instruction_id LIMIT ${PAGE_ROWS}`,
      [spaceId, after],
    );
    if (page.length === 0) return;
    yield {
      ids: page.map((row) => row.instruction_id),
      reasoning: page.map((row) => row.reasoning),
      vectors: page.map((row) => row.vector),
    };
    if (page.length < PAGE_ROWS) return;
    after = page.at(-1)!.instruction_id;
  }
}

/**
 * Builds and stores the space's index (worker side: the projection task and `finemed map embed` call it
 * after embedding). Two paged passes over the vectors, so memory holds the sketches and a PCA sample,
 * never the full vectors. `queryModel` is the lexical space's fitted embedder (lsa-model-codec.ts).
 */
export async function buildNeighbourIndex(
  db: Database,
  space: EmbeddingSpaceRow,
  queryModel: Buffer | null,
): Promise<{ vectors: number; seconds: number }> {
  const started = performance.now();
  const expected = await spaceVectorCount(db, space.id);
  const d = space.dimensions;
  const components = Math.min(SKETCH_COMPONENTS, d);
  // Every step-th vector trains the PCA: spread over the whole id range, the same for the same space.
  const step = Math.max(1, Math.floor(expected / PCA_SAMPLE));
  const training = vectorMatrix(Math.min(PCA_SAMPLE, Math.ceil(expected / step)), d);
  let seen = 0;
  let sampled = 0;
  for await (const page of pageVectors(db, space.id)) {
    for (const vector of page.vectors) {
      if (seen % step === 0 && sampled < training.count) decodeVector(vector, space.encoding, d, training.values, d * sampled++);
      seen += 1;
    }
  }
  const pca =
    d <= components
      ? identityPca(d)
      : fitPca(
          vectorMatrix(sampled, d, training.values.subarray(0, sampled * d)),
          Int32Array.from({ length: sampled }, (_, i) => i),
          components,
          7,
        );

  const ids = new BigInt64Array(expected);
  const reasoning = new Uint8Array(expected);
  const sketch = new Uint16Array(expected * components);
  const vector = new Float32Array(d);
  const projected = new Float32Array(components);
  const scratch = new Float32Array(d);
  let count = 0;
  for await (const page of pageVectors(db, space.id)) {
    for (let i = 0; i < page.ids.length && count < expected; i += 1) {
      decodeVector(page.vectors[i]!, space.encoding, d, vector, 0);
      projectRow(pca, vector, 0, projected, 0, scratch);
      for (let c = 0; c < components; c += 1) sketch[count * components + c] = toHalf(projected[c]!);
      ids[count] = BigInt(page.ids[i]!);
      reasoning[count] = page.reasoning[i] ? 1 : 0;
      count += 1;
    }
  }
  await db.pool.query(
    `INSERT INTO neighbour_indexes (space_id, vector_count, components, ids, reasoning, sketch, pca, query_model, built_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
     ON CONFLICT (space_id) DO UPDATE SET vector_count = EXCLUDED.vector_count, components = EXCLUDED.components, ids = EXCLUDED.ids,
       reasoning = EXCLUDED.reasoning, sketch = EXCLUDED.sketch, pca = EXCLUDED.pca, query_model = EXCLUDED.query_model, built_at = now()`,
    [
      space.id,
      count,
      components,
      bytes(ids.subarray(0, count)),
      Buffer.from(reasoning.subarray(0, count)),
      bytes(sketch.subarray(0, count * components)),
      encodePca(pca),
      queryModel,
    ],
  );
  await db.pool.query(`DELETE FROM neighbour_indexes WHERE space_id NOT IN (SELECT id FROM embedding_spaces)`);
  return { vectors: count, seconds: (performance.now() - started) / 1000 };
}

/** The stored index's vector count, or null when the space has none yet. */
export async function indexedVectorCount(db: Database, spaceId: string): Promise<number | null> {
  const [found] = await queryRows(db.pool, indexCountRow, `SELECT vector_count FROM neighbour_indexes WHERE space_id = $1`, [spaceId]);
  return found?.vector_count ?? null;
}

interface Held {
  index: Promise<PersistedIndex>;
  builtAt: string;
  checkedAt: number;
}

// On globalThis: Next bundles each route on its own, and two routes must not each hold a copy.
const shared = globalThis as { finemedPersistedIndexes?: Map<string, Held> };
const held = (shared.finemedPersistedIndexes ??= new Map<string, Held>());

/**
 * The space's stored index (web side), loaded once and reloaded when the worker rebuilt it; the least
 * recently used is dropped beyond MAX_LOADED. A space the worker has not indexed yet is refused.
 */
export async function persistedIndex(db: Database, space: EmbeddingSpaceRow): Promise<PersistedIndex> {
  const now = Date.now();
  const entry = held.get(space.id);
  if (entry && now - entry.checkedAt < RECHECK_MS) return touch(space.id, entry).index;
  const [stamp] = await queryRows(db.pool, indexStampRow, `SELECT built_at::text AS built_at FROM neighbour_indexes WHERE space_id = $1`, [
    space.id,
  ]);
  const builtAt = stamp?.built_at;
  if (!builtAt) {
    throw new NeighbourQueryError(
      `the neighbour index of ${space.embedder} is not built yet: the worker builds it when it embeds (a map: finemed map project, or finemed map embed)`,
      409,
    );
  }
  if (entry && entry.builtAt === builtAt) {
    entry.checkedAt = now;
    return touch(space.id, entry).index;
  }
  const index = loadIndex(db, space.id);
  const fresh: Held = { index, builtAt, checkedAt: now };
  held.set(space.id, fresh);
  index.catch(() => held.delete(space.id));
  while (held.size > MAX_LOADED) held.delete(held.keys().next().value!);
  return index;
}

/** Map order is insertion order: re-inserting marks the entry most recently used. */
function touch(spaceId: string, entry: Held): Held {
  held.delete(spaceId);
  held.set(spaceId, entry);
  return entry;
}

async function loadIndex(db: Database, spaceId: string): Promise<PersistedIndex> {
  const [row] = await queryRows(
    db.pool,
    storedIndexRow,
    `SELECT built_at::text AS built_at, vector_count, components, ids, reasoning, sketch, pca, query_model FROM neighbour_indexes WHERE space_id = $1`,
    [spaceId],
  );
  if (!row) throw new NeighbourQueryError("the neighbour index was removed while loading; try again", 409);
  const n = row.vector_count;
  const ids = new BigInt64Array(Uint8Array.from(row.ids).buffer, 0, n);
  const halves = new Uint16Array(Uint8Array.from(row.sketch).buffer, 0, n * row.components);
  const sketch = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i += 1) sketch[i] = fromHalf(halves[i]!);
  return {
    spaceId,
    builtAt: row.built_at,
    ids,
    reasoning: Uint8Array.from(row.reasoning),
    components: row.components,
    sketch,
    pca: decodePca(row.pca, row.components),
    queryEmbedder: row.query_model ? decodeLsaModel(row.query_model) : null,
  };
}

export interface PersistedHit {
  instructionId: bigint;
  similarity: number;
}

/**
 * The k stored vectors most similar to `query` (unit length), best first: a scan of the sketches for
 * the RERANK best (among reasoning rows only when asked), then exact cosine from `embeddings`.
 */
export async function searchIndex(
  db: Database,
  space: EmbeddingSpaceRow,
  index: PersistedIndex,
  query: Float32Array,
  k: number,
  options: { reasoningOnly?: boolean; exclude?: bigint } = {},
): Promise<PersistedHit[]> {
  if (query.length !== space.dimensions) throw new Error(`the query has ${query.length} dimensions, the space ${space.dimensions}`);
  const { components, sketch, ids } = index;
  const projected = new Float32Array(components);
  projectRow(index.pca, query, 0, projected, 0);
  const want = Math.max(RERANK, 4 * k);
  const rows = new Int32Array(want);
  const best = new Float64Array(want).fill(Number.NEGATIVE_INFINITY);
  let size = 0;
  for (let row = 0, start = 0; row < ids.length; row += 1, start += components) {
    if (options.reasoningOnly && index.reasoning[row] !== 1) continue;
    if (options.exclude !== undefined && ids[row] === options.exclude) continue;
    let score = 0;
    for (let c = 0; c < components; c += 1) score += sketch[start + c]! * projected[c]!;
    if (size === want && score <= best[want - 1]!) continue;
    let position = size < want ? size++ : want - 1;
    while (position > 0 && best[position - 1]! < score) {
      rows[position] = rows[position - 1]!;
      best[position] = best[position - 1]!;
      position -= 1;
    }
    rows[position] = row;
    best[position] = score;
  }
  if (size === 0) return [];
  const candidates = Array.from(rows.subarray(0, size), (row) => ids[row]!.toString());
  const stored = await queryRows(
    db.pool,
    rerankVectorRow,
    `SELECT instruction_id::text AS instruction_id, vector FROM embeddings WHERE space_id = $1 AND instruction_id = ANY($2::bigint[])`,
    [space.id, candidates],
  );
  const full = new Float32Array(space.dimensions);
  const hits = stored.map((row) => {
    decodeVector(row.vector, space.encoding, space.dimensions, full, 0);
    let dot = 0;
    for (let j = 0; j < full.length; j += 1) dot += full[j]! * query[j]!;
    return { instructionId: BigInt(row.instruction_id), similarity: dot };
  });
  hits.sort((a, b) => b.similarity - a.similarity || (a.instructionId < b.instructionId ? -1 : 1));
  return hits.slice(0, k);
}

function identityPca(d: number): PcaModel {
  const basis = new Float32Array(d * d);
  for (let i = 0; i < d; i += 1) basis[i * d + i] = 1;
  return { inputDimensions: d, components: d, mean: new Float64Array(d), basis, explainedVariance: 1 };
}

function encodePca(pca: PcaModel): Buffer {
  return Buffer.concat([bytes(pca.mean), bytes(pca.basis)]);
}

function decodePca(stored: Uint8Array, components: number): PcaModel {
  const copy = Uint8Array.from(stored);
  // mean: 8 bytes × d; basis: 4 bytes × components × d.
  const d = copy.length / (8 + 4 * components);
  if (!Number.isInteger(d)) throw new Error("the stored PCA of the neighbour index is corrupt");
  return {
    inputDimensions: d,
    components,
    mean: new Float64Array(copy.buffer, 0, d),
    basis: new Float32Array(copy.buffer, 8 * d, components * d),
    explainedVariance: 1,
  };
}

function bytes(array: BigInt64Array | Uint16Array | Float64Array | Float32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}
