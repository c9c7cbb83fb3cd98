import { fromHalf } from "../vectors/vector-codec";
import { fitPca, projectRow, type PcaModel } from "../vectors/randomized-pca";
import { seededUniform } from "../vectors/seeded-random";
import { sampleRows, vectorMatrix } from "../vectors/vector-matrix";

/**
 * An in-memory cosine index over one space's vectors (unit length, so cosine = dot product).
 * Up to EXACT_UP_TO vectors every query scans them all. Beyond, a brute-force scan of 100,000 × 1024
 * floats is 10^8 multiply-adds (~100 ms on this VM's cores, ~250 ms under load), over the 50 ms budget,
 * so each vector also gets a SKETCH_DIMENSIONS-d PCA sketch: a query scans the sketches, then re-ranks
 * the best RERANK candidates with the full vectors. PCA keeps most of an embedding's variance in its
 * first components, so the true top 10 nearly always sits in the top few hundred sketch scores
 * (recall is measured by the map bench).
 */
export const EXACT_UP_TO = 20_000;
const SKETCH_DIMENSIONS = 64;
const RERANK = 400;

export interface IndexHit {
  row: number;
  similarity: number;
}

export class SpaceIndex {
  private readonly sketch: Float32Array | null;
  private readonly pca: PcaModel | null;

  /**
   * `full` holds the vectors row-major: float32 values, or float16 bit patterns (half the memory, which
   * matters at 300,000 × 1024) decoded as they are read.
   */
  constructor(
    readonly ids: BigInt64Array,
    readonly dimensions: number,
    private readonly full: Float32Array | Uint16Array,
  ) {
    const n = ids.length;
    if (n > EXACT_UP_TO && dimensions > SKETCH_DIMENSIONS) {
      const random = seededUniform(7);
      const sample = sampleRows(n, Math.min(n, 2_000), random);
      const training = vectorMatrix(sample.length, dimensions);
      sample.forEach((row, i) => this.decodeRow(row, training.values, i * dimensions));
      // The PCA is fitted on its own copy of the sampled rows (row numbers 0..s-1).
      this.pca = fitPca(
        training,
        Int32Array.from({ length: sample.length }, (_, i) => i),
        SKETCH_DIMENSIONS,
        7,
      );
      this.sketch = new Float32Array(n * this.pca.components);
      const buffer = new Float32Array(dimensions);
      const scratch = new Float32Array(dimensions);
      for (let row = 0; row < n; row += 1) {
        this.decodeRow(row, buffer, 0);
        projectRow(this.pca, buffer, 0, this.sketch, row * this.pca.components, scratch);
      }
    } else {
      this.sketch = null;
      this.pca = null;
    }
  }

  get size(): number {
    return this.ids.length;
  }

  get approximate(): boolean {
    return this.sketch !== null;
  }

  decodeRow(row: number, target: Float32Array, offset: number): void {
    const d = this.dimensions;
    const start = row * d;
    if (this.full instanceof Float32Array) target.set(this.full.subarray(start, start + d), offset);
    else for (let j = 0; j < d; j += 1) target[offset + j] = fromHalf(this.full[start + j]!);
  }

  /** Exact dot product of a row with `query`. */
  dot(row: number, query: Float32Array): number {
    const d = this.dimensions;
    const full = this.full;
    const start = row * d;
    let a = 0;
    let b = 0;
    if (full instanceof Float32Array) {
      let j = 0;
      for (; j + 1 < d; j += 2) {
        a += full[start + j]! * query[j]!;
        b += full[start + j + 1]! * query[j + 1]!;
      }
      if (j < d) a += full[start + j]! * query[j]!;
    } else {
      for (let j = 0; j < d; j += 1) a += fromHalf(full[start + j]!) * query[j]!;
    }
    return a + b;
  }

  /**
   * The k rows most similar to `query` (unit length), best first, among rows `accept` allows (all when
   * absent), never `exclude`. Scores are computed in one tight loop into a scratch array (no callback
   * per row: at 100,000 rows the call overhead alone would cost more than the arithmetic).
   */
  search(query: Float32Array, k: number, accept?: Uint8Array, exclude = -1): IndexHit[] {
    if (query.length !== this.dimensions) throw new Error(`the query has ${query.length} dimensions, the space ${this.dimensions}`);
    const n = this.size;
    const scores = new Float32Array(n);
    if (!this.sketch || !this.pca) {
      this.exactScores(query, scores);
      return topRows(scores, k, accept, exclude);
    }
    const components = this.pca.components;
    const projected = new Float32Array(components);
    projectRow(this.pca, query, 0, projected, 0);
    // The sketch is centred by the PCA mean; a constant shift of every score does not change the order.
    const sketch = this.sketch;
    for (let row = 0, start = 0; row < n; row += 1, start += components) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (; c + 1 < components; c += 2) {
        a += sketch[start + c]! * projected[c]!;
        b += sketch[start + c + 1]! * projected[c + 1]!;
      }
      if (c < components) a += sketch[start + c]! * projected[c]!;
      scores[row] = a + b;
    }
    const candidates = topRows(scores, Math.max(RERANK, k * 4), accept, exclude);
    const reranked = candidates.map((hit) => ({ row: hit.row, similarity: this.dot(hit.row, query) }));
    reranked.sort((x, y) => y.similarity - x.similarity || x.row - y.row);
    return reranked.slice(0, k);
  }

  private exactScores(query: Float32Array, scores: Float32Array): void {
    const d = this.dimensions;
    const full = this.full;
    if (full instanceof Float32Array) {
      for (let row = 0, start = 0; row < scores.length; row += 1, start += d) {
        let a = 0;
        let b = 0;
        let j = 0;
        for (; j + 1 < d; j += 2) {
          a += full[start + j]! * query[j]!;
          b += full[start + j + 1]! * query[j + 1]!;
        }
        if (j < d) a += full[start + j]! * query[j]!;
        scores[row] = a + b;
      }
    } else {
      for (let row = 0; row < scores.length; row += 1) scores[row] = this.dot(row, query);
    }
  }
}

/** The k best-scoring rows, best first (a sorted insertion buffer: k is small next to n). */
function topRows(scores: Float32Array, k: number, accept: Uint8Array | undefined, exclude: number): IndexHit[] {
  const rows = new Int32Array(k);
  const best = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  let size = 0;
  let floor = Number.NEGATIVE_INFINITY;
  for (let row = 0; row < scores.length; row += 1) {
    const value = scores[row]!;
    if (value <= floor || row === exclude || (accept !== undefined && accept[row] !== 1)) continue;
    let position = size < k ? size++ : k - 1;
    while (position > 0 && best[position - 1]! < value) {
      rows[position] = rows[position - 1]!;
      best[position] = best[position - 1]!;
      position -= 1;
    }
    rows[position] = row;
    best[position] = value;
    if (size === k) floor = best[k - 1]!;
  }
  return Array.from({ length: size }, (_, i) => ({ row: rows[i]!, similarity: best[i]! }));
}
