import { UMAP } from "umap-js";
import { buildCoarseQuantizer, searchCoarse } from "./coarse-quantizer";
import { sampledNeighbourQuality, type SampledNeighbourQuality } from "../map-quality/sampled-neighbour-quality";
import { PURITY_K } from "../map-quality/department-purity";
import { knnPreservation } from "./neighbour-preservation";
import { placeFromNeighbours } from "./neighbour-placement";
import type { ProjectionParameters } from "./projection-parameters";
import { applyPca, fitPca } from "../vectors/randomized-pca";
import { seededUniform } from "../vectors/seeded-random";
import { tsne } from "./tsne";
import { rowOf, rowsOf, sampleRows, vectorMatrix, type VectorMatrix } from "../vectors/vector-matrix";

/** What the layout reports (stored in projections.report, shown beside the map). */
export interface LayoutReport {
  points: number;
  inputDimensions: number;
  fittedDimensions: number;
  pcaExplainedVariance: number | null;
  fitPoints: number;
  placedPoints: number;
  placement: "none" | "neighbour-weighted";
  /** Neighbours found per point for the mislabel hints (among the fitted points); 0 when not asked. */
  hintNeighbours: number;
  /** Against each query's true k nearest among ALL points, in the full-dimensional space (honest). */
  neighbourPreservation: { k: number; queries: number; value: number; among: "all points" };
  /** The first maps' figure: neighbours among a `sample`-point subsample only; it overstates. */
  neighbourPreservationAmongSample: { k: number; sample: number; value: number };
  /** `place` covers the placement and the hints' neighbour search (one search per point). */
  seconds: { reduce: number; fit: number; place: number; score: number };
}

export interface LayoutResult {
  /** [x0, y0, x1, y1, …] in input row order. */
  layout: Float32Array;
  report: LayoutReport;
  /** Each point's `neighbourK` nearest (row-major n × k, -1 where fewer exist), when asked for. */
  neighbours: Int32Array | null;
  /** The sampled queries' true neighbours, for figures that need labels (department purity). */
  quality: SampledNeighbourQuality;
}

/**
 * Query points of the honest figures: each is a brute-force scan of all n × d values, so their number
 * shrinks on a large map to keep the scoring within about 3·10¹⁰ multiply-adds (300 at 100,000 × 1024
 * or smaller, about 100 at 300,000 × 1024; never fewer than 50, a standard error near 0.03).
 */
export const QUALITY_QUERIES = 300;
const QUALITY_BUDGET = 3e10;

export function qualityQueries(n: number, d: number): number {
  return Math.min(n, Math.max(50, Math.min(QUALITY_QUERIES, Math.floor(QUALITY_BUDGET / (n * d)))));
}

export type LayoutProgress = (phase: string, fraction: number) => void;

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}

/**
 * The whole 2-D layout of a space: PCA to `components` dimensions, a UMAP or t-SNE fit on a seeded
 * sample, neighbour-weighted placement of the rest, then k-nearest-neighbour preservation against the
 * original vectors on a sample. CPU-bound: run it on a worker thread (layout-thread.ts), never in a request.
 */
export async function computeLayout(
  matrix: VectorMatrix,
  projection: ProjectionParameters,
  onProgress: LayoutProgress = () => undefined,
  neighbourK = 0,
): Promise<LayoutResult> {
  const { parameters } = projection;
  const n = matrix.count;
  if (n < 3) throw new Error(`a map needs at least 3 points, got ${n}`);
  const random = seededUniform(parameters.seed);

  let started = performance.now();
  onProgress("reducing dimensions", 0);
  const fitRows = sampleRows(n, Math.min(parameters.fitSample, n), random);
  let reduced = matrix;
  let explained: number | null = null;
  if (parameters.components > 0 && parameters.components < matrix.dimensions && n > parameters.components) {
    const pca = fitPca(matrix, sampleRows(n, Math.min(n, 3_000), random), parameters.components, parameters.seed);
    reduced = applyPca(pca, matrix);
    explained = pca.explainedVariance;
  }
  const reduceSeconds = seconds(started);

  started = performance.now();
  const fitPoints = rowsOf(reduced, fitRows);
  onProgress(`fitting ${fitRows.length.toLocaleString("en-US")} points`, 0);
  let fitLayout: Float32Array;
  if (projection.method === "umap") {
    const p = projection.parameters;
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: Math.min(p.nNeighbors, fitPoints.length - 1),
      minDist: p.minDist,
      random: seededUniform(p.seed + 1),
      ...(p.nEpochs ? { nEpochs: p.nEpochs } : {}),
    });
    const data = fitPoints.map((row) => Array.from(row));
    const epochs = umap.initializeFit(data);
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      umap.step();
      if (epoch % 10 === 0) onProgress(`fitting ${fitRows.length.toLocaleString("en-US")} points`, epoch / epochs);
    }
    fitLayout = Float32Array.from(umap.getEmbedding().flat());
  } else {
    const p = projection.parameters;
    fitLayout = tsne(fitPoints, {
      perplexity: p.perplexity,
      iterations: p.iterations,
      theta: p.theta,
      seed: p.seed,
      onProgress: (iteration, total) => {
        if (iteration % 10 === 0) onProgress(`fitting ${fitRows.length.toLocaleString("en-US")} points`, iteration / total);
      },
    });
  }
  const fitSeconds = seconds(started);

  started = performance.now();
  // One search per point among the fitted points (a coarse quantizer over them) serves two needs: the
  // placement of the points outside the fit sample and the neighbour graph of the mislabel hints. A
  // hint's neighbours are thus drawn from the fit sample, a uniform subsample of the space, which
  // estimates the neighbourhood's label mix as well and costs nothing beyond the placement's search.
  const layout = new Float32Array(2 * n);
  const anchorOf = new Int32Array(n).fill(-1);
  fitRows.forEach((row, i) => {
    anchorOf[row] = i;
    layout[2 * row] = fitLayout[2 * i]!;
    layout[2 * row + 1] = fitLayout[2 * i + 1]!;
  });
  const restCount = n - fitRows.length;
  const placeK = Math.min(projection.parameters.nNeighbors, fitRows.length);
  const searchK = Math.min(Math.max(placeK, neighbourK), fitRows.length);
  const hintK = Math.min(neighbourK, fitRows.length - 1);
  const neighbours = neighbourK > 0 ? new Int32Array(n * neighbourK).fill(-1) : null;
  if (restCount > 0 || neighbours) {
    const anchors = vectorMatrix(fitRows.length, reduced.dimensions);
    fitRows.forEach((row, i) => anchors.values.set(rowOf(reduced, row), i * reduced.dimensions));
    const quantizer = buildCoarseQuantizer(anchors, random);
    const rows = new Int32Array(searchK);
    const distances = new Float64Array(searchK);
    const label = restCount > 0 ? `placing ${restCount.toLocaleString("en-US")} more points` : "finding neighbours for mislabel hints";
    const every = Math.max(1, Math.floor(n / 100));
    for (let row = 0; row < n; row += 1) {
      const anchor = anchorOf[row]!;
      if (anchor >= 0 && !neighbours) continue;
      const found = searchCoarse(quantizer, anchors, reduced.values, row * reduced.dimensions, searchK, 8, rows, distances, anchor);
      if (anchor < 0) placeFromNeighbours(rows, distances, Math.min(found, placeK), fitLayout, layout, 2 * row);
      if (neighbours) for (let m = 0; m < Math.min(found, hintK); m += 1) neighbours[row * neighbourK + m] = fitRows[rows[m]!]!;
      if (row % every === 0) onProgress(label, row / n);
    }
  }
  const placeSeconds = seconds(started);

  started = performance.now();
  onProgress("scoring neighbour preservation", 0);
  const k = Math.min(parameters.scoreK, n - 2);
  const scored = sampleRows(n, Math.min(parameters.scoreSample, n), random);
  const scoredLayout = new Float32Array(2 * scored.length);
  scored.forEach((row, i) => {
    scoredLayout[2 * i] = layout[2 * row]!;
    scoredLayout[2 * i + 1] = layout[2 * row + 1]!;
  });
  const preservationAmongSample = knnPreservation(rowsOf(matrix, scored), scoredLayout, k);
  onProgress("scoring neighbour preservation among all points", 0.5);
  const queries = sampleRows(n, qualityQueries(n, matrix.dimensions), random);
  const quality = sampledNeighbourQuality(matrix, layout, queries, Math.min(n - 1, Math.max(k, PURITY_K)));
  const preservation = quality.k === k ? quality.preservation : sampledNeighbourQuality(matrix, layout, queries, k).preservation;
  const scoreSeconds = seconds(started);

  return {
    layout,
    neighbours,
    quality,
    report: {
      points: n,
      inputDimensions: matrix.dimensions,
      fittedDimensions: reduced.dimensions,
      pcaExplainedVariance: explained,
      fitPoints: fitRows.length,
      placedPoints: restCount,
      placement: restCount > 0 ? "neighbour-weighted" : "none",
      hintNeighbours: neighbours ? hintK : 0,
      neighbourPreservation: { k, queries: queries.length, value: preservation, among: "all points" },
      neighbourPreservationAmongSample: { k, sample: scored.length, value: preservationAmongSample },
      seconds: { reduce: reduceSeconds, fit: fitSeconds, place: placeSeconds, score: scoreSeconds },
    },
  };
}
