import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { ensureEmbeddingSpace, type EmbeddingSpaceRow } from "../lib/embeddings/embedding-space";
import { embedderSpecSchema } from "../lib/embeddings/embedder-spec";
import { encodeVector, normaliseInPlace } from "../lib/vectors/vector-codec";
import { buildNeighbourIndex, MAX_LOADED, persistedIndex, searchIndex } from "../lib/neighbours/persisted-index";
import { NeighbourQueryError } from "../lib/neighbours/neighbour-errors";
import { gaussianClusters } from "../lib/projection/test-clusters";

// Issue 11, item 3: the neighbour index is built (here, as the worker does) and stored; the web side
// loads it without building, answers from sketches + an exact re-rank from `embeddings`, holds at most
// MAX_LOADED spaces, and refuses a space the worker has not indexed.

const POINTS = 1_500;
const DIMENSIONS = 128;
let db: TestDatabase;
const spaces: EmbeddingSpaceRow[] = [];
let vectors: Float32Array[] = [];

async function storeSpace(model: string): Promise<EmbeddingSpaceRow> {
  const spec = embedderSpecSchema.parse({ kind: "backend", baseUrl: "http://127.0.0.1:9", model, dimensions: DIMENSIONS });
  const space = await ensureEmbeddingSpace(db, spec, "instruction");
  await db.pool.query(`INSERT INTO embeddings (space_id, instruction_id, vector) SELECT $1, * FROM unnest($2::bigint[], $3::bytea[])`, [
    space.id,
    vectors.map((_, i) => String(1000 + i)),
    vectors.map((vector) => encodeVector(vector, space.encoding)),
  ]);
  return space;
}

beforeAll(async () => {
  db = await openTestDatabase();
  const { points } = gaussianClusters(15, POINTS / 15, DIMENSIONS, 4, 5);
  vectors = points.map((point) => normaliseInPlace(Float32Array.from(point)));
  for (const model of ["index-a", "index-b", "index-c"]) spaces.push(await storeSpace(model));
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

function bruteForce(query: Float32Array, k: number, exclude: number): number[] {
  return vectors
    .map((vector, i) => ({ id: 1000 + i, dot: vector.reduce((sum, value, j) => sum + value * query[j]!, 0) }))
    .filter((hit) => hit.id !== exclude)
    .sort((a, b) => b.dot - a.dot || a.id - b.id)
    .slice(0, k)
    .map((hit) => hit.id);
}

describe("the stored neighbour index", () => {
  it("is refused (409) before the worker has built it", async () => {
    await expect(persistedIndex(db, spaces[0]!)).rejects.toSatisfy(
      (error: unknown) => error instanceof NeighbourQueryError && error.status === 409,
    );
  });

  it("answers as a brute-force scan does (recall@10 ≥ 0.95) from sketches and an exact re-rank", async () => {
    const built = await buildNeighbourIndex(db, spaces[0]!, null);
    expect(built.vectors).toBe(POINTS);
    const index = await persistedIndex(db, spaces[0]!);
    expect(index.components).toBe(64);
    expect(index.sketch.length).toBe(POINTS * 64);
    let found = 0;
    for (const row of [0, 123, 777, 1499]) {
      const hits = await searchIndex(db, spaces[0]!, index, vectors[row]!, 10, { exclude: BigInt(1000 + row) });
      const truth = new Set(bruteForce(vectors[row]!, 10, 1000 + row));
      for (const hit of hits) if (truth.has(Number(hit.instructionId))) found += 1;
      const similarities = hits.map((hit) => hit.similarity);
      expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
      expect(hits.some((hit) => hit.instructionId === BigInt(1000 + row))).toBe(false);
    }
    expect(found / 40).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  it("holds at most MAX_LOADED spaces and reloads a space the worker rebuilt", async () => {
    for (const space of spaces.slice(1)) await buildNeighbourIndex(db, space, null);
    for (const space of spaces) await persistedIndex(db, space);
    const held = (globalThis as { finemedPersistedIndexes?: Map<string, unknown> }).finemedPersistedIndexes!;
    expect(held.size).toBe(MAX_LOADED);
    expect(held.has(spaces[0]!.id)).toBe(false);
    const before = await persistedIndex(db, spaces[2]!);
    await db.pool.query(`DELETE FROM embeddings WHERE space_id = $1 AND instruction_id >= 2000`, [spaces[2]!.id]);
    await buildNeighbourIndex(db, spaces[2]!, null);
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    const after = await persistedIndex(db, spaces[2]!);
    expect(before.ids.length).toBe(POINTS);
    expect(after.ids.length).toBe(1000);
  }, 60_000);
});
