import type { VectorMatrix } from "../vectors/vector-matrix";

/**
 * Honest neighbour figures for a map of any size: for a seeded sample of query points, their true k
 * nearest neighbours among ALL points in the full-dimensional space (a brute-force scan per query, no
 * subsample, no PCA) and among all points on the 2-D layout. Preservation computed among a 1–2k
 * subsample instead, as the first maps did, compares neighbourhoods of a much sparser cloud and
 * overstates what a curator sees around a point on the full map.
 * Cost: queries × n × d; 300 queries of a 300,000 × 256 space are about 2.3·10¹⁰ multiply-adds.
 */
export interface SampledNeighbourQuality {
  k: number;
  /** Row numbers of the query points. */
  queryRows: Int32Array;
  /** queries × k rows of the true full-space neighbours, nearest first. */
  neighbours: Int32Array;
  /** Mean share of a query's k full-space neighbours that are also among its k nearest on the layout. */
  preservation: number;
}

export function sampledNeighbourQuality(
  matrix: VectorMatrix,
  layout: Float32Array,
  queryRows: Int32Array,
  k: number,
): SampledNeighbourQuality {
  const n = matrix.count;
  const d = matrix.dimensions;
  if (layout.length !== 2 * n) throw new Error(`expected ${2 * n} layout coordinates, got ${layout.length}`);
  if (!Number.isInteger(k) || k < 1 || k > n - 1) throw new Error(`k must be between 1 and ${n - 1}, got ${k}`);
  const values = matrix.values;
  const neighbours = new Int32Array(queryRows.length * k);
  const onLayout = new Int32Array(k);
  const heap = new TopK(k);
  let shared = 0;
  queryRows.forEach((query, q) => {
    heap.clear();
    const offset = query * d;
    for (let row = 0; row < n; row += 1) {
      if (row === query) continue;
      let distance = 0;
      const other = row * d;
      for (let j = 0; j < d; j += 1) {
        const delta = values[offset + j]! - values[other + j]!;
        distance += delta * delta;
      }
      heap.offer(row, distance);
    }
    heap.drainNearestFirst(neighbours, q * k);

    heap.clear();
    const x = layout[2 * query]!;
    const y = layout[2 * query + 1]!;
    for (let row = 0; row < n; row += 1) {
      if (row === query) continue;
      const dx = layout[2 * row]! - x;
      const dy = layout[2 * row + 1]! - y;
      heap.offer(row, dx * dx + dy * dy);
    }
    heap.drainNearestFirst(onLayout, 0);
    const near = new Set(onLayout);
    for (let m = 0; m < k; m += 1) if (near.has(neighbours[q * k + m]!)) shared += 1;
  });
  return { k, queryRows, neighbours, preservation: queryRows.length === 0 ? 0 : shared / (queryRows.length * k) };
}

/**
 * kNN department purity from the sampled neighbours: per query with a department, the share of its
 * first `k` neighbours with the same one (knnDepartmentPurity, on a sample). Null when no query has one.
 */
export function sampledDepartmentPurity(
  quality: SampledNeighbourQuality,
  departmentOfRow: (row: number) => number | null,
  k = 10,
): number | null {
  const used = Math.min(k, quality.k);
  let sum = 0;
  let queries = 0;
  quality.queryRows.forEach((query, q) => {
    const own = departmentOfRow(query);
    if (own === null) return;
    let same = 0;
    for (let m = 0; m < used; m += 1) if (departmentOfRow(quality.neighbours[q * quality.k + m]!) === own) same += 1;
    sum += same / used;
    queries += 1;
  });
  return queries === 0 ? null : sum / queries;
}

/** A bounded max-heap keeping the k smallest distances seen. */
class TopK {
  private readonly rows: Int32Array;
  private readonly distances: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.rows = new Int32Array(k);
    this.distances = new Float64Array(k);
  }

  clear(): void {
    this.size = 0;
  }

  offer(row: number, distance: number): void {
    if (this.size < this.k) {
      let position = this.size++;
      while (position > 0) {
        const parent = (position - 1) >> 1;
        if (this.distances[parent]! >= distance) break;
        this.rows[position] = this.rows[parent]!;
        this.distances[position] = this.distances[parent]!;
        position = parent;
      }
      this.rows[position] = row;
      this.distances[position] = distance;
    } else if (distance < this.distances[0]!) {
      this.siftDown(row, distance, this.size);
    }
  }

  /** Writes the kept rows nearest first into `out` at `offset`, emptying the heap. */
  drainNearestFirst(out: Int32Array, offset: number): void {
    for (let slot = this.size - 1; slot >= 0; slot -= 1) {
      out[offset + slot] = this.rows[0]!;
      const lastRow = this.rows[slot]!;
      const lastDistance = this.distances[slot]!;
      if (slot > 0) this.siftDown(lastRow, lastDistance, slot);
    }
    this.size = 0;
  }

  private siftDown(row: number, distance: number, size: number): void {
    let position = 0;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= size) break;
      const right = left + 1;
      const larger = right < size && this.distances[right]! > this.distances[left]! ? right : left;
      if (this.distances[larger]! <= distance) break;
      this.rows[position] = this.rows[larger]!;
      this.distances[position] = this.distances[larger]!;
      position = larger;
    }
    this.rows[position] = row;
    this.distances[position] = distance;
  }
}
