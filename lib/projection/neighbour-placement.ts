import { buildCoarseQuantizer, searchCoarse } from "./coarse-quantizer";
import type { VectorMatrix } from "../vectors/vector-matrix";

/**
 * Places points that were not in the fit sample: each lands at the weighted mean of its k nearest fit
 * points' 2-D positions, weighted like UMAP's fuzzy memberships, exp(-(d - d_nearest) / σ) with σ the
 * mean excess distance. This is what umap-js's transform starts from (initTransform) before it runs its
 * optimisation epochs. Measured at 20,000 points by the map bench (bench/RESULTS.md), the placement
 * preserves neighbourhoods at least as well as umap-js's transform from the same fit, for a fraction of
 * its time, so the studio places the rest without the epochs.
 */
export function placeFromNeighbours(
  rows: Int32Array,
  squaredDistances: Float64Array,
  found: number,
  anchorLayout: Float32Array,
  out: Float32Array,
  outOffset: number,
): void {
  const nearest = Math.sqrt(squaredDistances[0]!);
  let sigma = 0;
  for (let m = 0; m < found; m += 1) sigma += Math.sqrt(squaredDistances[m]!) - nearest;
  sigma = sigma / Math.max(1, found - 1) || 1;
  let x = 0;
  let y = 0;
  let total = 0;
  for (let m = 0; m < found; m += 1) {
    const weight = Math.exp(-(Math.sqrt(squaredDistances[m]!) - nearest) / sigma);
    x += weight * anchorLayout[2 * rows[m]!]!;
    y += weight * anchorLayout[2 * rows[m]! + 1]!;
    total += weight;
  }
  out[outOffset] = x / total;
  out[outOffset + 1] = y / total;
}

export interface PlacementOptions {
  k: number;
  probes?: number;
  random: () => number;
}

/** Places every query among the anchors (their coarse quantizer built here). */
export function placeByNeighbours(
  anchors: VectorMatrix,
  anchorLayout: Float32Array,
  queries: VectorMatrix,
  options: PlacementOptions,
): Float32Array {
  const { k, probes = 8, random } = options;
  const quantizer = buildCoarseQuantizer(anchors, random);
  const layout = new Float32Array(queries.count * 2);
  const rows = new Int32Array(k);
  const distances = new Float64Array(k);
  for (let i = 0; i < queries.count; i += 1) {
    const found = searchCoarse(quantizer, anchors, queries.values, i * queries.dimensions, k, probes, rows, distances);
    placeFromNeighbours(rows, distances, found, anchorLayout, layout, 2 * i);
  }
  return layout;
}
