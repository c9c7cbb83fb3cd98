import type { NeighbourGraph } from "../vectors/nearest-neighbours";

/**
 * t-SNE's input affinities P: a Gaussian per point whose bandwidth is found by binary search so its
 * entropy matches log(perplexity), restricted to the point's k nearest neighbours, then symmetrised.
 */

/** Sparse symmetric P in CSR form; entries sum to 1. A pair may appear twice in a row — forces just add. */
export interface SparseAffinities {
  readonly rowStart: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

const TOLERANCE = 1e-5;
const MAX_STEPS = 200;

/** Row-normalised p(j|i) over each point's neighbours, aligned with graph.indices. */
export function conditionalAffinities(graph: NeighbourGraph, perplexity: number): Float64Array {
  const { k, squaredDistances } = graph;
  const n = squaredDistances.length / k;
  const targetEntropy = Math.log(perplexity);
  const conditional = new Float64Array(n * k);

  for (let i = 0; i < n; i += 1) {
    const offset = i * k;
    // Distances shifted by the nearest one: P is unchanged and exp() no longer underflows in high-D.
    const nearest = squaredDistances[offset]!;
    let beta = 1;
    let lower = 0;
    let upper = Number.POSITIVE_INFINITY;
    for (let step = 0; step < MAX_STEPS; step += 1) {
      let sum = 0;
      let weightedDistance = 0;
      for (let m = 0; m < k; m += 1) {
        const distance = squaredDistances[offset + m]! - nearest;
        const p = Math.exp(-beta * distance);
        conditional[offset + m] = p;
        sum += p;
        weightedDistance += distance * p;
      }
      const entropy = Math.log(sum) + (beta * weightedDistance) / sum;
      for (let m = 0; m < k; m += 1) conditional[offset + m]! /= sum;
      const error = entropy - targetEntropy;
      if (Math.abs(error) < TOLERANCE) break;
      // Too much entropy means the Gaussian is too wide: sharpen it (raise beta), and vice versa.
      if (error > 0) {
        lower = beta;
        beta = upper === Number.POSITIVE_INFINITY ? beta * 2 : (beta + upper) / 2;
      } else {
        upper = beta;
        beta = (beta + lower) / 2;
      }
    }
  }
  return conditional;
}

/** P_ij = (p(j|i) + p(i|j)) / 2n, built by emitting each neighbour edge into both rows. */
export function symmetricAffinities(graph: NeighbourGraph, perplexity: number): SparseAffinities {
  const { k, indices } = graph;
  const n = indices.length / k;
  const conditional = conditionalAffinities(graph, perplexity);

  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i += 1) {
    rowStart[i + 1]! += k;
    for (let m = 0; m < k; m += 1) rowStart[indices[i * k + m]! + 1]! += 1;
  }
  for (let i = 0; i < n; i += 1) rowStart[i + 1]! += rowStart[i]!;

  const columns = new Int32Array(2 * n * k);
  const values = new Float64Array(2 * n * k);
  const cursor = rowStart.slice(0, n);
  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i += 1) {
    for (let m = 0; m < k; m += 1) {
      const j = indices[i * k + m]!;
      const p = conditional[i * k + m]! * scale;
      const forward = cursor[i]!++;
      columns[forward] = j;
      values[forward] = p;
      const backward = cursor[j]!++;
      columns[backward] = i;
      values[backward] = p;
    }
  }
  return { rowStart, columns, values };
}
