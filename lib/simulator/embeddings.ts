import { fnv1a } from "./determinism";
import { wordTokens } from "./text-features";

// Fake embedder: feature hashing of the bag of words, i.e. a sparse random projection of word counts onto
// `dimensions` axes. Each word adds ±weight on a few hashed axes, so texts that share words get a high
// cosine similarity and unrelated texts are near-orthogonal — enough for maps and nearest-neighbour tests.

const AXES_PER_WORD = 4;
const SIGN_SALT = 0x9e3779b9;

export function embedText(text: string, dimensions: number, seedHash: number): Float64Array {
  const vector = new Float64Array(dimensions);
  const counts = new Map<string, number>();
  for (const token of wordTokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  for (const [word, count] of counts) {
    // Sublinear term frequency so one repeated word does not dominate.
    const weight = 1 + Math.log(count);
    let hash = fnv1a(word, seedHash);
    for (let k = 0; k < AXES_PER_WORD; k++) {
      const axis = hash % dimensions;
      const sign = (fnv1a(word, hash ^ SIGN_SALT) & 1) === 0 ? 1 : -1;
      vector[axis] = (vector[axis] ?? 0) + sign * weight;
      hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
    }
  }
  if (counts.size === 0) {
    // No words (empty or symbols only): still a deterministic unit vector, derived from the raw text.
    const axis = fnv1a(text, seedHash) % dimensions;
    vector[axis] = 1;
  }
  let norm = 0;
  for (let i = 0; i < dimensions; i++) norm += (vector[i] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = Math.round(((vector[i] ?? 0) / norm) * 1e6) / 1e6;
  return vector;
}
