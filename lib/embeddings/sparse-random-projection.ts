import { hashPair } from "./feature-hash";

/**
 * Achlioptas' sparse random projection from hashed feature buckets to a dense vector: each matrix entry
 * is +1 or -1 with probability 1/6 each, otherwise 0. Entries come from a hash of (bucket, dimension,
 * seed) rather than a stored matrix (2^18 × 256 would be 64 MiB); rows are cached sparsely once seen.
 */
export class SparseRandomProjection {
  private readonly rows = new Map<number, Int32Array>();

  constructor(
    readonly dimensions: number,
    private readonly seed: number,
  ) {}

  /** Adds `weight` × row(bucket) into `target`. */
  accumulate(bucket: number, weight: number, target: Float64Array): void {
    for (const signedDimension of this.row(bucket)) {
      // Stored as ±(dimension + 1) so the sign survives for dimension 0.
      if (signedDimension > 0) target[signedDimension - 1]! += weight;
      else target[-signedDimension - 1]! -= weight;
    }
  }

  private row(bucket: number): Int32Array {
    const cached = this.rows.get(bucket);
    if (cached) return cached;
    const entries: number[] = [];
    for (let dimension = 0; dimension < this.dimensions; dimension += 1) {
      const draw = hashPair(bucket, dimension, this.seed) % 6;
      if (draw === 0) entries.push(dimension + 1);
      else if (draw === 1) entries.push(-(dimension + 1));
    }
    const row = Int32Array.from(entries);
    this.rows.set(bucket, row);
    return row;
  }
}
