import { hashString } from "./feature-hash";
import { SparseRandomProjection } from "./sparse-random-projection";
import type { TextEmbedder } from "./text-embedder";
import { lexicalFeatures } from "./tokenise";

/**
 * The in-process embedder the offline demo uses when no embedder backend is configured: TF-IDF over
 * hashed word unigrams and bigrams, reduced by a seeded sparse random projection and L2-normalised.
 * It sees vocabulary overlap only (no synonyms), which is enough for a map whose clusters mean something
 * without a GPU. Same corpus and seed give the same vectors.
 */

export interface LexicalEmbedderOptions {
  dimensions?: number;
  seed?: number;
  /** Hash space for features; a power of two so the bucket is a bit mask. */
  buckets?: number;
}

export interface LexicalEmbedder extends TextEmbedder {
  readonly documentCount: number;
}

const DEFAULT_BUCKETS = 1 << 18;

export function fitLexicalEmbedder(
  corpus: Iterable<string>,
  { dimensions = 256, seed = 1, buckets = DEFAULT_BUCKETS }: LexicalEmbedderOptions = {},
): LexicalEmbedder {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error(`dimensions must be a positive integer, got ${dimensions}`);
  if (buckets < 2 || (buckets & (buckets - 1)) !== 0) throw new Error(`buckets must be a power of two, got ${buckets}`);

  const hashFeatures = (text: string): Map<number, number> => signedTermCounts(text, buckets - 1, seed);
  const documentFrequency = new Uint32Array(buckets);
  let documentCount = 0;
  for (const text of corpus) {
    documentCount += 1;
    for (const bucket of hashFeatures(text).keys()) documentFrequency[bucket]! += 1;
  }

  const projection = new SparseRandomProjection(dimensions, seed);
  // Smoothed IDF: a feature unseen while fitting gets the largest weight instead of dividing by zero.
  const idf = (bucket: number): number => Math.log((1 + documentCount) / (1 + documentFrequency[bucket]!)) + 1;

  return {
    name: `lexical-tfidf-hash-rp-${dimensions}`,
    dimensions,
    documentCount,
    embed(text: string): Float32Array {
      const accumulated = new Float64Array(dimensions);
      for (const [bucket, signedCount] of hashFeatures(text)) {
        if (signedCount === 0) continue;
        // Sublinear TF so one repeated word cannot outweigh the rest of the instruction.
        const tf = Math.sign(signedCount) * (1 + Math.log(Math.abs(signedCount)));
        projection.accumulate(bucket, tf * idf(bucket), accumulated);
      }
      return normalised(accumulated);
    },
  };
}

/**
 * Bucket → signed count. The sign bit comes from the hash so colliding features cancel in expectation
 * instead of always inflating the bucket (Weinberger et al.'s signed hashing trick).
 */
function signedTermCounts(text: string, bucketMask: number, seed: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const feature of lexicalFeatures(text)) {
    const hash = hashString(feature, seed);
    const bucket = hash & bucketMask;
    const sign = hash >>> 31 === 1 ? -1 : 1;
    counts.set(bucket, (counts.get(bucket) ?? 0) + sign);
  }
  return counts;
}

/** A text with no features stays the zero vector: there is no direction to normalise. */
function normalised(values: Float64Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of values) sumOfSquares += value * value;
  const vector = new Float32Array(values.length);
  if (sumOfSquares === 0) return vector;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < values.length; i += 1) vector[i] = values[i]! * scale;
  return vector;
}
