import { seededGaussian } from "../vectors/seeded-random";

/** Seeded isotropic Gaussian blobs for projection tests; labels say which blob a point came from. */
export function gaussianClusters(
  clusters: number,
  perCluster: number,
  dimensions: number,
  separation: number,
  seed: number,
): { points: Float32Array[]; labels: number[] } {
  const random = seededGaussian(seed);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dimensions }, () => separation * random()));
  const points: Float32Array[] = [];
  const labels: number[] = [];
  centres.forEach((centre, label) => {
    for (let p = 0; p < perCluster; p += 1) {
      points.push(centre.map((value) => value + random()));
      labels.push(label);
    }
  });
  return { points, labels };
}
