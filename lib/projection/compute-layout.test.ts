import { describe, expect, it } from "vitest";
import { computeLayout } from "./compute-layout";
import { parseProjectionParameters } from "./projection-parameters";
import { gaussianClusters } from "./test-clusters";
import { vectorMatrix } from "../vectors/vector-matrix";
import { fitPca, applyPca } from "../vectors/randomized-pca";
import { exactNearestNeighbours } from "../vectors/nearest-neighbours";

function clusteredMatrix(clusters: number, perCluster: number, dimensions: number) {
  const { points, labels } = gaussianClusters(clusters, perCluster, dimensions, 4, 11);
  const matrix = vectorMatrix(points.length, dimensions);
  points.forEach((point, i) => matrix.values.set(point, i * dimensions));
  return { matrix, labels, points };
}

describe("computeLayout", () => {
  const { matrix, labels } = clusteredMatrix(12, 100, 64);

  it("fitting on a sample and placing the rest keeps most of a full fit's neighbour preservation, and clusters stay apart", async () => {
    const full = await computeLayout(matrix, parseProjectionParameters("umap", { fitSample: 1200, seed: 3 }));
    const sampled = await computeLayout(matrix, parseProjectionParameters("umap", { fitSample: 400, seed: 3 }));
    expect(full.report).toMatchObject({ points: 1200, fitPoints: 1200, placedPoints: 0, placement: "none", fittedDimensions: 50 });
    expect(sampled.report).toMatchObject({ fitPoints: 400, placedPoints: 800, placement: "neighbour-weighted" });
    const fullScore = full.report.neighbourPreservation.value;
    const sampledScore = sampled.report.neighbourPreservation.value;
    // Isotropic blobs cap preservation well below 1; chance is 15/1199.
    expect(fullScore).toBeGreaterThan(0.15);
    // Within a blob the noise is isotropic, so placement (a weighted mean) loses some local order; measured ~0.79×.
    expect(sampledScore).toBeGreaterThan(0.7 * fullScore);
    expect(sampled.layout.every(Number.isFinite)).toBe(true);
    // A placed point lands with its own cluster: nearer its cluster's centroid than any other's.
    const centroids = Array.from({ length: 12 }, () => [0, 0, 0]);
    labels.forEach((label, i) => {
      centroids[label]![0]! += sampled.layout[2 * i]!;
      centroids[label]![1]! += sampled.layout[2 * i + 1]!;
      centroids[label]![2]! += 1;
    });
    let home = 0;
    labels.forEach((label, i) => {
      const distances = centroids.map(([x, y, n]) => (sampled.layout[2 * i]! - x! / n!) ** 2 + (sampled.layout[2 * i + 1]! - y! / n!) ** 2);
      if (distances.indexOf(Math.min(...distances)) === label) home += 1;
    });
    expect(home / labels.length).toBeGreaterThan(0.95);

    // The reported preservation is against each query's true neighbours among ALL 1,200 points, recomputed
    // here by brute force; the subsample figure of the first maps is kept beside it, named as such.
    expect(sampled.report.neighbourPreservation).toMatchObject({ k: 15, queries: 300, among: "all points" });
    expect(sampled.report.neighbourPreservationAmongSample).toMatchObject({ k: 15, sample: 1000 });
    const rows = Array.from({ length: matrix.count }, (_, i) => matrix.values.subarray(i * 64, (i + 1) * 64));
    const layoutRows = Array.from({ length: matrix.count }, (_, i) => sampled.layout.subarray(2 * i, 2 * i + 2));
    const inSpace = exactNearestNeighbours(rows, 15).indices;
    const onMap = exactNearestNeighbours(layoutRows, 15).indices;
    let shared = 0;
    for (const query of sampled.quality.queryRows) {
      const near = new Set(onMap.subarray(query * 15, (query + 1) * 15));
      for (const neighbour of inSpace.subarray(query * 15, (query + 1) * 15)) if (near.has(neighbour)) shared += 1;
    }
    expect(sampledScore).toBeCloseTo(shared / (sampled.quality.queryRows.length * 15), 10);
  }, 240_000);

  it("is reproducible from its parameters, and t-SNE runs through the same path", async () => {
    const a = await computeLayout(matrix, parseProjectionParameters("tsne", { fitSample: 300, iterations: 250, seed: 9 }));
    const b = await computeLayout(matrix, parseProjectionParameters("tsne", { fitSample: 300, iterations: 250, seed: 9 }));
    expect(a.layout).toEqual(b.layout);
    expect(a.report.placedPoints).toBe(900);
    expect(a.report.neighbourPreservation.value).toBeGreaterThan(0.1);
  }, 120_000);
});

describe("randomized PCA and the hints' neighbour graph", () => {
  it("keeps the variance of data that lives in few dimensions", () => {
    const { matrix } = clusteredMatrix(8, 150, 96);
    const pca = fitPca(
      matrix,
      Int32Array.from({ length: matrix.count }, (_, i) => i),
      20,
      1,
    );
    // 8 separated centres span 7 dimensions; the rest is unit noise in 96.
    expect(pca.explainedVariance).toBeGreaterThan(0.6);
    expect(applyPca(pca, matrix).dimensions).toBe(20);
  });

  it("gives every point k neighbours among the fitted points, never itself, nearly all from its own cluster", async () => {
    const { matrix, labels } = clusteredMatrix(10, 120, 64);
    const result = await computeLayout(matrix, parseProjectionParameters("umap", { fitSample: 500, seed: 1 }), undefined, 10);
    expect(result.report.hintNeighbours).toBe(10);
    const neighbours = result.neighbours!;
    let same = 0;
    for (let i = 0; i < matrix.count; i += 1) {
      const row = Array.from(neighbours.subarray(i * 10, (i + 1) * 10));
      expect(row.includes(i)).toBe(false);
      expect(new Set(row).size).toBe(10);
      for (const j of row) if (labels[j] === labels[i]) same += 1;
    }
    expect(same / (matrix.count * 10)).toBeGreaterThan(0.95);
  }, 120_000);
});
