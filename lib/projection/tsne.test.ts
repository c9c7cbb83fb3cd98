import { describe, expect, it } from "vitest";
import { exactNearestNeighbours } from "../vectors/nearest-neighbours";
import { knnPreservation } from "./neighbour-preservation";
import { gaussianClusters } from "./test-clusters";
import { tsne } from "./tsne";

function layoutPoints(layout: Float32Array): Float32Array[] {
  return Array.from({ length: layout.length / 2 }, (_, i) => layout.subarray(2 * i, 2 * i + 2));
}

/** Share of each point's 2-D nearest neighbours that come from its own cluster. */
function clusterPurity(layout: Float32Array, labels: number[], k: number): number {
  const { indices } = exactNearestNeighbours(layoutPoints(layout), k);
  let same = 0;
  for (let i = 0; i < labels.length; i += 1) {
    for (let m = 0; m < k; m += 1) if (labels[indices[i * k + m]!] === labels[i]) same += 1;
  }
  return same / (labels.length * k);
}

describe("tsne", () => {
  it("keeps well-separated clusters apart in 2-D", () => {
    const { points, labels } = gaussianClusters(3, 100, 20, 10, 11);
    const layout = tsne(points, { iterations: 300, seed: 3 });
    expect(layout).toHaveLength(600);
    expect(layout.every(Number.isFinite)).toBe(true);
    expect(clusterPurity(layout, labels, 10)).toBeGreaterThan(0.95);
    // Within an isotropic 20-D blob neighbours are nearly arbitrary, so only demand far better than chance (≈ 10/299).
    expect(knnPreservation(points, layout, 10)).toBeGreaterThan(0.2);
  });

  it("is deterministic for the same seed and differs for another", () => {
    const { points } = gaussianClusters(2, 30, 5, 5, 4);
    const first = tsne(points, { iterations: 80, seed: 9 });
    expect(tsne(points, { iterations: 80, seed: 9 })).toEqual(first);
    expect(tsne(points, { iterations: 80, seed: 10 })).not.toEqual(first);
  });

  it("reports progress once per iteration", () => {
    const { points } = gaussianClusters(2, 10, 3, 5, 2);
    const seen: Array<[number, number]> = [];
    tsne(points, { iterations: 5, onProgress: (iteration, total) => seen.push([iteration, total]) });
    expect(seen).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it("handles inputs too small for the requested perplexity", () => {
    expect(tsne([])).toHaveLength(0);
    expect(tsne([new Float32Array([1, 2])])).toEqual(new Float32Array(2));
    const tiny = tsne([new Float32Array([0]), new Float32Array([1]), new Float32Array([5])], { iterations: 20 });
    expect(tiny.every(Number.isFinite)).toBe(true);
  });
});
