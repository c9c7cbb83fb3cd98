import { seededGaussian } from "./seeded-random";
import { symmetricEigen } from "./symmetric-eigen";
import { vectorMatrix, type VectorMatrix } from "./vector-matrix";

/**
 * PCA by randomized subspace iteration (Halko, Martinsson & Tropp 2011) fitted on a sample of rows, then
 * applied to every row. Reducing 1024-d embeddings to ~50 principal components before UMAP is the usual
 * way to cut the neighbour search (VERIFIED.md: it grows ~n^1.3 · d); a full covariance (1024²) and its
 * eigen-decomposition would cost more and give the same top components.
 */
export interface PcaModel {
  readonly inputDimensions: number;
  readonly components: number;
  readonly mean: Float64Array;
  /** Row-major components × inputDimensions. */
  readonly basis: Float32Array;
  /** Share of the sample's variance the components keep. */
  readonly explainedVariance: number;
}

const OVERSAMPLE = 10;
// Two or three passes already separate a decaying spectrum (Halko et al. §4.5); each pass costs 2·s·d·r.
const POWER_ITERATIONS = 3;

export function fitPca(matrix: VectorMatrix, sample: ArrayLike<number>, components: number, seed: number): PcaModel {
  const d = matrix.dimensions;
  const s = sample.length;
  const r = Math.min(components + OVERSAMPLE, d, s);
  const k = Math.min(components, r);
  const mean = new Float64Array(d);
  for (let i = 0; i < s; i += 1) {
    const offset = sample[i]! * d;
    for (let j = 0; j < d; j += 1) mean[j]! += matrix.values[offset + j]!;
  }
  for (let j = 0; j < d; j += 1) mean[j]! /= s;
  // Centred sample, s × d, in float64 for stable orthogonalisation.
  const x = new Float64Array(s * d);
  let totalVariance = 0;
  for (let i = 0; i < s; i += 1) {
    const offset = sample[i]! * d;
    for (let j = 0; j < d; j += 1) {
      const value = matrix.values[offset + j]! - mean[j]!;
      x[i * d + j] = value;
      totalVariance += value * value;
    }
  }
  const gaussian = seededGaussian(seed);
  let q: Float64Array = new Float64Array(d * r); // d × r
  for (let i = 0; i < q.length; i += 1) q[i] = gaussian();
  orthonormaliseColumns(q, d, r);
  const z = new Float64Array(s * r);
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration += 1) {
    multiply(x, s, d, q, r, z); // z = X Q
    q = multiplyTransposed(x, s, d, z, r); // Q = Xᵀ Z
    orthonormaliseColumns(q, d, r);
  }
  multiply(x, s, d, q, r, z); // B = X Q, s × r
  const gram = new Float64Array(r * r);
  for (let i = 0; i < s; i += 1) {
    for (let a = 0; a < r; a += 1) {
      const za = z[i * r + a]!;
      if (za === 0) continue;
      for (let b = a; b < r; b += 1) gram[a * r + b]! += za * z[i * r + b]!;
    }
  }
  for (let a = 0; a < r; a += 1) for (let b = 0; b < a; b += 1) gram[a * r + b] = gram[b * r + a]!;
  const { values, vectors } = symmetricEigen(gram, r);
  const basis = new Float32Array(k * d);
  let kept = 0;
  for (let c = 0; c < k; c += 1) {
    kept += Math.max(0, values[c]!);
    for (let j = 0; j < d; j += 1) {
      let sum = 0;
      for (let b = 0; b < r; b += 1) sum += q[j * r + b]! * vectors[b * r + c]!;
      basis[c * d + j] = sum;
    }
  }
  return { inputDimensions: d, components: k, mean, basis, explainedVariance: totalVariance > 0 ? kept / totalVariance : 1 };
}

/** Every row of `matrix` in the model's components. */
export function applyPca(model: PcaModel, matrix: VectorMatrix): VectorMatrix {
  const out = vectorMatrix(matrix.count, model.components);
  const centred = new Float32Array(model.inputDimensions);
  for (let i = 0; i < matrix.count; i += 1)
    projectRow(model, matrix.values, i * model.inputDimensions, out.values, i * model.components, centred);
  return out;
}

/** One row (at `offset` of `values`) into `out` at `outOffset`; `centred` is scratch of inputDimensions. */
export function projectRow(
  model: PcaModel,
  values: Float32Array,
  offset: number,
  out: Float32Array,
  outOffset: number,
  centred = new Float32Array(model.inputDimensions),
): void {
  const { components: k, inputDimensions: d, basis, mean } = model;
  for (let j = 0; j < d; j += 1) centred[j] = values[offset + j]! - mean[j]!;
  for (let c = 0; c < k; c += 1) {
    let a = 0;
    let b = 0;
    const row = c * d;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      a += centred[j]! * basis[row + j]!;
      b += centred[j + 1]! * basis[row + j + 1]!;
    }
    if (j < d) a += centred[j]! * basis[row + j]!;
    out[outOffset + c] = a + b;
  }
}

/** out (s × r) = x (s × d) · q (d × r). */
function multiply(x: Float64Array, s: number, d: number, q: Float64Array, r: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < s; i += 1) {
    for (let j = 0; j < d; j += 1) {
      const value = x[i * d + j]!;
      if (value === 0) continue;
      const qRow = j * r;
      const outRow = i * r;
      for (let c = 0; c < r; c += 1) out[outRow + c]! += value * q[qRow + c]!;
    }
  }
}

/** xᵀ (d × s) · z (s × r) → d × r. */
function multiplyTransposed(x: Float64Array, s: number, d: number, z: Float64Array, r: number): Float64Array {
  const out = new Float64Array(d * r);
  for (let i = 0; i < s; i += 1) {
    for (let j = 0; j < d; j += 1) {
      const value = x[i * d + j]!;
      if (value === 0) continue;
      const outRow = j * r;
      const zRow = i * r;
      for (let c = 0; c < r; c += 1) out[outRow + c]! += value * z[zRow + c]!;
    }
  }
  return out;
}

/** Modified Gram–Schmidt on the r columns of a row-major d × r matrix. */
function orthonormaliseColumns(m: Float64Array, d: number, r: number): void {
  for (let c = 0; c < r; c += 1) {
    for (let p = 0; p < c; p += 1) {
      let dot = 0;
      for (let j = 0; j < d; j += 1) dot += m[j * r + c]! * m[j * r + p]!;
      for (let j = 0; j < d; j += 1) m[j * r + c]! -= dot * m[j * r + p]!;
    }
    let norm = 0;
    for (let j = 0; j < d; j += 1) norm += m[j * r + c]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j += 1) m[j * r + c]! /= norm;
  }
}
