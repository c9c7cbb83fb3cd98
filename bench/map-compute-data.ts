import { seededGaussian } from "../lib/vectors/seeded-random";
import { vectorMatrix, type VectorMatrix } from "../lib/vectors/vector-matrix";

/**
 * Synthetic 1024-d "embeddings" clustered by department, for timing storage, projection and neighbour
 * search at the paper's scale without a GPU embedder: each point has a 12-d latent position (its
 * department's centre, one of its 20 topics' offset, its own spread), mapped into 1024-d by one fixed
 * random linear map plus isotropic noise, then L2-normalised like bge vectors. Neighbourhoods therefore
 * live on a low-dimensional manifold as real embeddings' do, so neighbour preservation means something.
 * They are NOT real text embeddings; the figures are about scale, not about bge's geometry.
 */
export const DEPARTMENTS = 29;
const TOPICS = 20;
const LATENT = 12;
export const DIMENSIONS = 1024;

export function syntheticEmbeddings(
  count: number,
  seed: number,
  dimensions = DIMENSIONS,
): { matrix: VectorMatrix; departments: Int16Array } {
  const gaussian = seededGaussian(seed);
  const structure = seededGaussian(4242);
  const centres = Float64Array.from({ length: DEPARTMENTS * LATENT }, () => 6 * structure());
  const topics = Float64Array.from({ length: DEPARTMENTS * TOPICS * LATENT }, () => 2 * structure());
  const lift = Float32Array.from({ length: LATENT * dimensions }, () => structure() / Math.sqrt(LATENT));
  const matrix = vectorMatrix(count, dimensions, new Float32Array(new SharedArrayBuffer(count * dimensions * 4)));
  const departments = new Int16Array(count);
  const latent = new Float64Array(LATENT);
  for (let i = 0; i < count; i += 1) {
    const department = i % DEPARTMENTS;
    const topic = Math.floor(Math.abs(gaussian()) * 7) % TOPICS;
    departments[i] = department;
    for (let l = 0; l < LATENT; l += 1)
      latent[l] = centres[department * LATENT + l]! + topics[(department * TOPICS + topic) * LATENT + l]! + 0.8 * gaussian();
    const offset = i * dimensions;
    let norm = 0;
    for (let j = 0; j < dimensions; j += 1) {
      let value = 0.15 * gaussian();
      for (let l = 0; l < LATENT; l += 1) value += latent[l]! * lift[l * dimensions + j]!;
      matrix.values[offset + j] = value;
      norm += value * value;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < dimensions; j += 1) matrix.values[offset + j]! *= scale;
  }
  return { matrix, departments };
}
