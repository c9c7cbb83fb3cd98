import { buildCoarseQuantizer, searchCoarse } from "./coarse-quantizer";
import type { VectorMatrix } from "./vector-matrix";

/**
 * Places points that were not in the fit sample: each lands at the weighted mean of its k nearest fit
 * points' 2-D positions, weighted like UMAP's fuzzy memberships, exp(-(d - d_nearest) / σ) with σ the
 * mean excess distance. This is what umap-js's transform starts from (initTransform) before it runs a
 * few optimisation epochs; measured in test/map-projection.test.ts and the map bench, the epochs change
 * the neighbour preservation by little while costing ~1 s per 1,000 points (VERIFIED.md) against
 * ~0.1 s per 1,000 here, so the studio places the rest without them.
 */
export interface PlacementOptions {
  k: number;
  probes?: number;
  random: () => number;
  onProgress?: (done: number, total: number) => void;
}

export function placeByNeighbours(
  anchors: VectorMatrix,
  anchorLayout: Float32Array,
  queries: VectorMatrix,
  options: PlacementOptions,
): Float32Array {
  const { k, probes = 8, random, onProgress } = options;
  const quantizer = buildCoarseQuantizer(anchors, random);
  const layout = new Float32Array(queries.count * 2);
  const rows = new Int32Array(k);
  const distances = new Float64Array(k);
  const every = Math.max(1, Math.floor(queries.count / 100));
  for (let i = 0; i < queries.count; i += 1) {
    const found = searchCoarse(quantizer, anchors, queries.values, i * queries.dimensions, k, probes, rows, distances);
    const nearest = Math.sqrt(distances[0]!);
    let sigma = 0;
    for (let m = 0; m < found; m += 1) sigma += Math.sqrt(distances[m]!) - nearest;
    sigma = sigma / Math.max(1, found - 1) || 1;
    let x = 0;
    let y = 0;
    let total = 0;
    for (let m = 0; m < found; m += 1) {
      const weight = Math.exp(-(Math.sqrt(distances[m]!) - nearest) / sigma);
      x += weight * anchorLayout[2 * rows[m]!]!;
      y += weight * anchorLayout[2 * rows[m]! + 1]!;
      total += weight;
    }
    layout[2 * i] = x / total;
    layout[2 * i + 1] = y / total;
    if (onProgress && (i + 1) % every === 0) onProgress(i + 1, queries.count);
  }
  onProgress?.(queries.count, queries.count);
  return layout;
}
