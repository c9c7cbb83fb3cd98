import { seededGaussian } from "../vectors/seeded-random";
import { symmetricEigen } from "../vectors/symmetric-eigen";
import { hashString } from "./feature-hash";
import type { TextEmbedder } from "./text-embedder";
import { lexicalFeatures, wordFeatures } from "./tokenise";

/**
 * The offline default embedder (lexical version 2): latent semantic analysis, a truncated SVD of the
 * TF-IDF matrix (Deerwester et al. 1990), fitted on a hash-chosen sample of the space's texts.
 *
 * Why not version 1's random projection of hashed TF-IDF: at 256 dimensions a random projection adds
 * noise of about 1/√256 ≈ 0.06 to every cosine, as large as the similarities between two medical
 * passages, so neighbours were mostly noise (on the quick-start demo a type-2-diabetes question retrieved
 * a tongue-diagnosis sample). The SVD keeps the directions the corpus actually varies along; on a corpus no
 * larger than the dimensions it keeps every cosine exactly. Features held by more than half the documents
 * (the simulator's and a model's answer templates) are dropped: they say how a text was written, not what
 * it is about. Same texts and seed give the same embedder, whatever their order.
 *
 * Version 3 (the default since 2026-12-07) keeps words only, each in at least two texts, with plain IDF, at 64
 * dimensions: on the quick-start demo (451 samples) word pairs and one-text words mostly matched how a text was
 * phrased, and the truncation to 64 directions merges the words a department's texts share (LSA's synonymy
 * effect); kNN purity against the corpus's own departments 0.40 → 0.57 (bench/RESULTS.md).
 */

export interface LsaEmbedderOptions {
  dimensions?: number;
  seed?: number;
  /** Hash space for features; a power of two so the bucket is a bit mask. */
  buckets?: number;
  /** Documents the SVD is fitted on; the rest only count towards document frequencies. */
  fitDocuments?: number;
  /** At most this many features (the most frequent of those kept) become columns. */
  vocabulary?: number;
  /** Features in a larger share of documents are dropped. */
  maxDocumentShare?: number;
  /** Features in fewer documents are dropped: a word only one text uses links it to nothing. */
  minDocumentFrequency?: number;
  /** Which features become columns: words, or words and adjacent word pairs (version 2). */
  features?: LsaFeatures;
  /** "smoothed": ln((1 + n) / (1 + df)) + 1 (version 2); "plain": ln(n / df). */
  idf?: "smoothed" | "plain";
}

export type LsaFeatures = "words" | "words+bigrams";

export interface LsaEmbedder extends TextEmbedder {
  readonly documentCount: number;
  readonly vocabularySize: number;
  readonly model: LsaModel;
}

const DEFAULT_BUCKETS = 1 << 18;
const OVERSAMPLE = 10;
const POWER_ITERATIONS = 2;

interface SparseRow {
  columns: Int32Array;
  weights: Float64Array;
}

export function fitLsaEmbedder(corpus: Iterable<string>, options: LsaEmbedderOptions = {}): LsaEmbedder {
  const fit = startLsaFit(options);
  for (const text of corpus) fit.add(text);
  return fit.finish();
}

/** A fit fed one text at a time, so a 300,000-text space never holds its texts in memory (only the sample). */
export interface LsaFit {
  add(text: string): void;
  finish(): LsaEmbedder;
}

/** What a fitted embedder is: enough to embed any text again, and to store (lsa-model-codec.ts). */
export interface LsaModel {
  features: LsaFeatures;
  dimensions: number;
  seed: number;
  buckets: number;
  documentCount: number;
  /** Feature bucket → column of `basis`, or -1 for a feature left out. */
  columnOf: Int32Array;
  idf: Float32Array;
  /** columns × dimensions, row-major. */
  basis: Float32Array;
}

export function startLsaFit({
  dimensions = 256,
  seed = 1,
  buckets = DEFAULT_BUCKETS,
  fitDocuments = 4_000,
  vocabulary = 20_000,
  maxDocumentShare = 0.5,
  minDocumentFrequency = 1,
  features = "words+bigrams",
  idf: idfKind = "smoothed",
}: LsaEmbedderOptions = {}): LsaFit {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error(`dimensions must be a positive integer, got ${dimensions}`);
  if (buckets < 2 || (buckets & (buckets - 1)) !== 0) throw new Error(`buckets must be a power of two, got ${buckets}`);
  // Document frequencies over every text, and the fit sample as the texts of smallest hash, which does
  // not depend on the order the texts arrive in.
  const documentFrequency = new Uint32Array(buckets);
  let documentCount = 0;
  let sample: { hash: number; text: string }[] = [];
  return {
    add(text: string): void {
      documentCount += 1;
      for (const bucket of featureCounts(text, features, buckets - 1, seed).keys()) documentFrequency[bucket]! += 1;
      sample.push({ hash: hashString(text, seed ^ 0x5bd1e995), text });
      if (sample.length >= 2 * fitDocuments) sample = smallestHashes(sample, fitDocuments);
    },
    finish(): LsaEmbedder {
      sample = smallestHashes(sample, fitDocuments);
      const maxFrequency = Math.max(1, Math.floor(maxDocumentShare * documentCount));
      const kept: number[] = [];
      for (let bucket = 0; bucket < buckets; bucket += 1) {
        const frequency = documentFrequency[bucket]!;
        if (frequency >= Math.max(1, minDocumentFrequency) && frequency <= maxFrequency) kept.push(bucket);
      }
      kept.sort((a, b) => documentFrequency[b]! - documentFrequency[a]! || a - b);
      const columns = kept.slice(0, vocabulary);
      const columnOf = new Int32Array(buckets).fill(-1);
      columns.forEach((bucket, column) => (columnOf[bucket] = column));
      const idf = Float32Array.from(columns, (bucket) =>
        idfKind === "plain"
          ? Math.log(documentCount / documentFrequency[bucket]!)
          : Math.log((1 + documentCount) / (1 + documentFrequency[bucket]!)) + 1,
      );
      const model: LsaModel = { features, dimensions, seed, buckets, documentCount, columnOf, idf, basis: new Float32Array(0) };
      model.basis = fitBasis(
        sample.map((entry) => sparseRow(model, entry.text)),
        columns.length,
        dimensions,
        seed,
      );
      return lsaEmbedder(model);
    },
  };
}

/** The embedder of a fitted (or stored) model. */
export function lsaEmbedder(model: LsaModel): LsaEmbedder {
  const { dimensions, basis } = model;
  return {
    name: `lexical-${model.features === "words" ? "word" : "tfidf"}-lsa-${dimensions}`,
    dimensions,
    documentCount: model.documentCount,
    vocabularySize: model.idf.length,
    model,
    embed(text: string): Float32Array {
      const row = sparseRow(model, text);
      const vector = new Float64Array(dimensions);
      for (let i = 0; i < row.columns.length; i += 1) {
        const offset = row.columns[i]! * dimensions;
        const weight = row.weights[i]!;
        for (let c = 0; c < dimensions; c += 1) vector[c]! += weight * basis[offset + c]!;
      }
      return normalised(vector);
    },
  };
}

function featureCounts(text: string, features: LsaFeatures, mask: number, seed: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const feature of features === "words" ? wordFeatures(text) : lexicalFeatures(text)) {
    const bucket = hashString(feature, seed) & mask;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
}

/** The text's unit-length TF-IDF row over the model's columns. */
function sparseRow(model: LsaModel, text: string): SparseRow {
  const entries: [number, number][] = [];
  for (const [bucket, count] of featureCounts(text, model.features, model.buckets - 1, model.seed)) {
    const column = model.columnOf[bucket]!;
    // Sublinear TF so one repeated word cannot outweigh the rest of the text.
    if (column >= 0) entries.push([column, (1 + Math.log(count)) * model.idf[column]!]);
  }
  entries.sort((a, b) => a[0] - b[0]);
  let sumOfSquares = 0;
  for (const [, weight] of entries) sumOfSquares += weight * weight;
  const scale = sumOfSquares > 0 ? 1 / Math.sqrt(sumOfSquares) : 0;
  return { columns: Int32Array.from(entries, (entry) => entry[0]), weights: Float64Array.from(entries, (entry) => entry[1] * scale) };
}

function smallestHashes(entries: { hash: number; text: string }[], size: number): { hash: number; text: string }[] {
  return entries.sort((a, b) => a.hash - b.hash || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)).slice(0, size);
}

/**
 * The top right singular vectors of the sample's TF-IDF matrix X (s × m), uncentred (LSA keeps the mean
 * direction: TF-IDF rows are all non-negative). Worked in the sample's row space, through the s × s
 * kernel K = X Xᵀ, never through an m-column dense block: the vocabulary (20,000 columns) is much larger
 * than the sample. A sample no larger than the rank budget is decomposed exactly; a larger one by
 * randomized subspace iteration on K (Halko, Martinsson & Tropp 2011). Then V = Xᵀ U Σ⁻¹. Returns an
 * m × k row-major block, zero beyond the sample's rank.
 */
function fitBasis(rows: readonly SparseRow[], m: number, k: number, seed: number): Float32Array {
  const s = rows.length;
  const basis = new Float32Array(m * k);
  const r = Math.min(k + OVERSAMPLE, s);
  if (r === 0 || m === 0) return basis;
  const kernelTimes = (q: Float64Array, width: number): Float64Array => times(rows, transposedTimes(rows, m, q, width), width);
  let q: Float64Array;
  if (r === s) {
    q = new Float64Array(s * s);
    for (let i = 0; i < s; i += 1) q[i * s + i] = 1;
  } else {
    const gaussian = seededGaussian(seed);
    q = new Float64Array(s * r);
    for (let i = 0; i < q.length; i += 1) q[i] = gaussian();
    for (let iteration = 0; iteration <= POWER_ITERATIONS; iteration += 1) {
      q = kernelTimes(q, r);
      orthonormaliseColumns(q, s, r);
    }
  }
  // T = Qᵀ K Q (r × r); its eigenvectors W give K's: U = Q W, with eigenvalues σ².
  const kq = kernelTimes(q, r);
  const t = new Float64Array(r * r);
  for (let i = 0; i < s; i += 1) {
    for (let a = 0; a < r; a += 1) {
      const qa = q[i * r + a]!;
      if (qa === 0) continue;
      for (let b = 0; b < r; b += 1) t[a * r + b]! += qa * kq[i * r + b]!;
    }
  }
  for (let a = 0; a < r; a += 1) for (let b = 0; b < a; b += 1) t[a * r + b] = t[b * r + a] = (t[a * r + b]! + t[b * r + a]!) / 2;
  const { values, vectors } = symmetricEigen(t, r);
  const components = Math.min(k, r);
  // A component whose singular value is rounding noise would only add noise to every embedding.
  const floor = 1e-10 * Math.max(values[0]!, 1e-300);
  let useful = 0;
  while (useful < components && values[useful]! > floor) useful += 1;
  const u = new Float64Array(s * useful); // U Σ⁻¹, s × useful
  for (let i = 0; i < s; i += 1) {
    for (let b = 0; b < r; b += 1) {
      const qib = q[i * r + b]!;
      if (qib === 0) continue;
      for (let c = 0; c < useful; c += 1) u[i * useful + c]! += qib * vectors[b * r + c]!;
    }
  }
  for (let c = 0; c < useful; c += 1) {
    const inverse = 1 / Math.sqrt(values[c]!);
    for (let i = 0; i < s; i += 1) u[i * useful + c]! *= inverse;
  }
  rows.forEach((row, i) => {
    for (let e = 0; e < row.columns.length; e += 1) {
      const weight = row.weights[e]!;
      const offset = row.columns[e]! * k;
      for (let c = 0; c < useful; c += 1) basis[offset + c]! += weight * u[i * useful + c]!;
    }
  });
  return basis;
}

/** X Q for sparse X (s × m) and dense Q (m × r): s × r. */
function times(rows: readonly SparseRow[], q: Float64Array, r: number): Float64Array {
  const out = new Float64Array(rows.length * r);
  rows.forEach((row, i) => {
    for (let e = 0; e < row.columns.length; e += 1) {
      const weight = row.weights[e]!;
      const offset = row.columns[e]! * r;
      for (let b = 0; b < r; b += 1) out[i * r + b]! += weight * q[offset + b]!;
    }
  });
  return out;
}

/** Xᵀ Z for sparse X (s × m) and dense Z (s × r): m × r. */
function transposedTimes(rows: readonly SparseRow[], m: number, z: Float64Array, r: number): Float64Array {
  const out = new Float64Array(m * r);
  rows.forEach((row, i) => {
    for (let e = 0; e < row.columns.length; e += 1) {
      const weight = row.weights[e]!;
      const offset = row.columns[e]! * r;
      for (let b = 0; b < r; b += 1) out[offset + b]! += weight * z[i * r + b]!;
    }
  });
  return out;
}

/**
 * Orthonormalises the r columns of a row-major n × r matrix through their r × r Gram matrix
 * (A ← A V Λ^-1/2): every pass runs along rows, where Gram–Schmidt column by column strides across a
 * 20,000-row block r² times (92 s for the demo's 166 texts on this machine, against under a second).
 * A dependent column becomes zero.
 */
function orthonormaliseColumns(a: Float64Array, n: number, r: number): void {
  const gram = new Float64Array(r * r);
  for (let i = 0; i < n; i += 1) {
    const row = i * r;
    for (let p = 0; p < r; p += 1) {
      const ap = a[row + p]!;
      if (ap === 0) continue;
      for (let q = p; q < r; q += 1) gram[p * r + q]! += ap * a[row + q]!;
    }
  }
  for (let p = 0; p < r; p += 1) for (let q = 0; q < p; q += 1) gram[p * r + q] = gram[q * r + p]!;
  const { values, vectors } = symmetricEigen(gram, r);
  const floor = 1e-12 * Math.max(values[0]!, 1e-300);
  const transform = new Float64Array(r * r);
  for (let c = 0; c < r; c += 1) {
    if (values[c]! <= floor) continue;
    const scale = 1 / Math.sqrt(values[c]!);
    for (let b = 0; b < r; b += 1) transform[b * r + c] = vectors[b * r + c]! * scale;
  }
  const row = new Float64Array(r);
  for (let i = 0; i < n; i += 1) {
    row.set(a.subarray(i * r, (i + 1) * r));
    a.fill(0, i * r, (i + 1) * r);
    for (let b = 0; b < r; b += 1) {
      const value = row[b]!;
      if (value === 0) continue;
      for (let c = 0; c < r; c += 1) a[i * r + c]! += value * transform[b * r + c]!;
    }
  }
}

/** A text with no kept features stays the zero vector: there is no direction to normalise. */
function normalised(values: Float64Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of values) sumOfSquares += value * value;
  const vector = new Float32Array(values.length);
  if (sumOfSquares === 0) return vector;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < values.length; i += 1) vector[i] = values[i]! * scale;
  return vector;
}
