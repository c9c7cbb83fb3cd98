import { exactNearestNeighbours } from "../vectors/nearest-neighbours";

/**
 * k-nearest-neighbour preservation: the mean fraction of each point's k nearest neighbours in the
 * original space that are also among its k nearest in the 2-D layout (1 = perfect). It is how a
 * sample-fit-then-transform projection is compared with a full fit. Exact kNN makes this O(n² · d),
 * so score a few-thousand-point sample of a large map.
 */
export function knnPreservation(high: readonly Float32Array[], low: Float32Array, k: number): number {
  const n = high.length;
  if (low.length !== 2 * n) throw new Error(`expected ${2 * n} layout coordinates, got ${low.length}`);
  const layout = Array.from({ length: n }, (_, i) => low.subarray(2 * i, 2 * i + 2));
  const original = exactNearestNeighbours(high, k).indices;
  const projected = exactNearestNeighbours(layout, k).indices;

  let shared = 0;
  const inLayout = new Set<number>();
  for (let i = 0; i < n; i += 1) {
    inLayout.clear();
    for (let m = 0; m < k; m += 1) inLayout.add(projected[i * k + m]!);
    for (let m = 0; m < k; m += 1) if (inLayout.has(original[i * k + m]!)) shared += 1;
  }
  return shared / (n * k);
}
