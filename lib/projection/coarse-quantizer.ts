import { sampleRows, type VectorMatrix } from "../vectors/vector-matrix";

/**
 * An inverted-file index (k-means cells) over the fit sample, for placing the other points: a query
 * scans only the anchors of its `probes` nearest cells instead of all 20,000. Exact search of 280,000
 * queries against 20,000 anchors in 50-d is ~3·10^11 operations (minutes in JS); with ~140 cells and 8
 * probes it is ~1/15 of that, and the k nearest anchors found are nearly always the true ones.
 */
export interface CoarseQuantizer {
  readonly cells: number;
  readonly centroids: Float32Array;
  /** Anchor rows grouped by cell: cellStart[c]..cellStart[c+1] index into `members`. */
  readonly cellStart: Int32Array;
  readonly members: Int32Array;
}

function distance(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, d: number): number {
  let sum = 0;
  for (let j = 0; j < d; j += 1) {
    const delta = a[aOffset + j]! - b[bOffset + j]!;
    sum += delta * delta;
  }
  return sum;
}

function nearestCentroid(values: Float32Array, offset: number, centroids: Float32Array, cells: number, d: number): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < cells; c += 1) {
    const dist = distance(values, offset, centroids, c * d, d);
    if (dist < bestDistance) {
      bestDistance = dist;
      best = c;
    }
  }
  return best;
}

/**
 * k-means cells (√n of them) trained on at most `trainRows` anchors (Lloyd's iterations over 300,000
 * rows would cost more than the searches they save), then every anchor is filed under its cell.
 */
export function buildCoarseQuantizer(anchors: VectorMatrix, random: () => number, iterations = 8, trainRows = 20_000): CoarseQuantizer {
  const { count: n, dimensions: d, values } = anchors;
  const cells = Math.max(1, Math.min(n, Math.round(Math.sqrt(n))));
  const training = sampleRows(n, Math.min(n, Math.max(trainRows, cells)), random);
  const centroids = new Float32Array(cells * d);
  sampleRows(training.length, cells, random).forEach((t, c) => {
    const row = training[t]!;
    centroids.set(values.subarray(row * d, (row + 1) * d), c * d);
  });
  const sums = new Float64Array(cells * d);
  const sizes = new Int32Array(cells);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    sums.fill(0);
    sizes.fill(0);
    for (const row of training) {
      const c = nearestCentroid(values, row * d, centroids, cells, d);
      sizes[c]! += 1;
      for (let j = 0; j < d; j += 1) sums[c * d + j]! += values[row * d + j]!;
    }
    // An empty cell keeps its centroid: it simply stays empty.
    for (let c = 0; c < cells; c += 1)
      if (sizes[c]! > 0) for (let j = 0; j < d; j += 1) centroids[c * d + j] = sums[c * d + j]! / sizes[c]!;
  }
  const assignment = new Int32Array(n);
  for (let i = 0; i < n; i += 1) assignment[i] = nearestCentroid(values, i * d, centroids, cells, d);
  const cellStart = new Int32Array(cells + 1);
  for (let i = 0; i < n; i += 1) cellStart[assignment[i]! + 1]! += 1;
  for (let c = 0; c < cells; c += 1) cellStart[c + 1]! += cellStart[c]!;
  const fill = cellStart.slice(0, cells);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i += 1) members[fill[assignment[i]!]!++] = i;
  return { cells, centroids, cellStart, members };
}

/**
 * The k nearest anchors (rows of `anchors`) to `query`, nearest first, written into `outRows` and
 * `outDistances` (squared); returns how many were found (fewer than k only for tiny anchor sets).
 */
export function searchCoarse(
  quantizer: CoarseQuantizer,
  anchors: VectorMatrix,
  query: Float32Array,
  queryOffset: number,
  k: number,
  probes: number,
  outRows: Int32Array,
  outDistances: Float64Array,
  exclude = -1,
): number {
  const d = anchors.dimensions;
  const probed = Math.min(probes, quantizer.cells);
  // The `probed` nearest cells by insertion (no per-query sort or allocation: this runs 300,000 times).
  const cells = scratchCells.length >= probed ? scratchCells : (scratchCells = new Int32Array(probed));
  const cellDistances = scratchCellDistances.length >= probed ? scratchCellDistances : (scratchCellDistances = new Float64Array(probed));
  let chosen = 0;
  for (let c = 0; c < quantizer.cells; c += 1) {
    const dist = distance(query, queryOffset, quantizer.centroids, c * d, d);
    if (chosen < probed) insertSorted(cells, cellDistances, chosen++, c, dist);
    else if (dist < cellDistances[probed - 1]!) insertSorted(cells, cellDistances, probed - 1, c, dist);
  }
  let found = 0;
  for (let p = 0; p < probed; p += 1) {
    const cell = cells[p]!;
    for (let m = quantizer.cellStart[cell]!; m < quantizer.cellStart[cell + 1]!; m += 1) {
      const row = quantizer.members[m]!;
      if (row === exclude) continue;
      const dist = distance(query, queryOffset, anchors.values, row * d, d);
      if (found < k) {
        insertSorted(outRows, outDistances, found, row, dist);
        found += 1;
      } else if (dist < outDistances[k - 1]!) {
        insertSorted(outRows, outDistances, k - 1, row, dist);
      }
    }
  }
  return found;
}

let scratchCells = new Int32Array(16);
let scratchCellDistances = new Float64Array(16);

/** Insertion into the sorted prefix of length `size` (the last slot is dropped when full). */
function insertSorted(rows: Int32Array, distances: Float64Array, size: number, row: number, dist: number): void {
  let position = size;
  while (position > 0 && distances[position - 1]! > dist) {
    rows[position] = rows[position - 1]!;
    distances[position] = distances[position - 1]!;
    position -= 1;
  }
  rows[position] = row;
  distances[position] = dist;
}
