import { exactNearestNeighbours } from "../vectors/nearest-neighbours";

/**
 * kNN department purity: for each labelled point, the share of its k nearest neighbours (in the space
 * the vectors live in, never the 2-D layout) whose primary department is the point's own; the mean over
 * labelled points. It says whether an embedder separates departments at all, before any projection
 * can lose or invent structure. Unlabelled points (`null`) are never queries and never count as a match.
 * Exact kNN (O(n² · d)): for a large space, use the sampled form in sampled-neighbour-quality.ts.
 */
/** The k: a point's 10 nearest neighbours. */
export const PURITY_K = 10;

export function knnDepartmentPurity(vectors: readonly Float32Array[], departments: readonly (number | null)[], k = PURITY_K): number {
  if (vectors.length !== departments.length) throw new Error(`expected ${vectors.length} departments, got ${departments.length}`);
  const { indices } = exactNearestNeighbours(vectors, k);
  let sum = 0;
  let queries = 0;
  for (let i = 0; i < vectors.length; i += 1) {
    const own = departments[i];
    if (own === null || own === undefined) continue;
    let same = 0;
    for (let m = 0; m < k; m += 1) if (departments[indices[i * k + m]!] === own) same += 1;
    sum += same / k;
    queries += 1;
  }
  if (queries === 0) throw new Error("purity needs at least one point with a department");
  return sum / queries;
}
