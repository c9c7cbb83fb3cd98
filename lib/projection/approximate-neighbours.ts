import { buildCoarseQuantizer, searchCoarse } from "./coarse-quantizer";
import type { VectorMatrix } from "./vector-matrix";

/**
 * Every point's k nearest other points (row-major n × k, nearest first) through the coarse quantizer:
 * the neighbour graph behind the mislabel hints, where an exact O(n²·d) search at 300,000 points is out
 * of reach and a neighbour missed now and then changes a disagreement share by 1/k.
 */
export function approximateNeighbourGraph(
  matrix: VectorMatrix,
  k: number,
  random: () => number,
  onProgress?: (done: number, total: number) => void,
  probes = 6,
): Int32Array {
  const n = matrix.count;
  const kk = Math.min(k, n - 1);
  const graph = new Int32Array(n * kk).fill(-1);
  if (kk < 1) return graph;
  const quantizer = buildCoarseQuantizer(matrix, random);
  const rows = new Int32Array(kk + 1);
  const distances = new Float64Array(kk + 1);
  const every = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < n; i += 1) {
    // One extra, since the point finds itself.
    const found = searchCoarse(quantizer, matrix, matrix.values, i * matrix.dimensions, kk + 1, probes, rows, distances);
    let slot = 0;
    for (let m = 0; m < found && slot < kk; m += 1) if (rows[m] !== i) graph[i * kk + slot++] = rows[m]!;
    if (onProgress && (i + 1) % every === 0) onProgress(i + 1, n);
  }
  return graph;
}
