import { exactNearestNeighbours } from "../vectors/nearest-neighbours";
import { symmetricAffinities } from "./perplexity-affinities";
import { BarnesHutQuadTree } from "./quadtree";
import { seededGaussian } from "../vectors/seeded-random";
import { barnesHutGradient } from "./tsne-gradient";

/**
 * Barnes–Hut t-SNE to 2-D (van der Maaten 2014), written here because tsne-js is exact O(n²) per
 * iteration. Affinities use exact kNN, which is O(n² · d): fine for a few thousand points; large
 * inputs need an approximate kNN or must be fitted on a sample.
 */

export interface TsneOptions {
  perplexity?: number;
  iterations?: number;
  /** Barnes–Hut accuracy: 0 is exact, larger is faster and coarser. */
  theta?: number;
  /** Defaults to max(200, n / 12) (Belkina et al. 2019), so large inputs do not converge slowly. */
  learningRate?: number;
  earlyExaggeration?: number;
  /** Iterations with exaggerated P and low momentum before switching to the final phase. */
  exaggerationIterations?: number;
  seed?: number;
  onProgress?: (iteration: number, total: number) => void;
}

const INITIAL_MOMENTUM = 0.5;
const FINAL_MOMENTUM = 0.8;
const MIN_GAIN = 0.01;
const INITIAL_SPREAD = 1e-4;

/** Returns [x0, y0, x1, y1, …] for the input points, in input order. */
export function tsne(points: readonly Float32Array[], options: TsneOptions = {}): Float32Array {
  const n = points.length;
  const {
    iterations = 1000,
    theta = 0.5,
    learningRate = Math.max(200, n / 12),
    earlyExaggeration = 12,
    exaggerationIterations = 250,
    seed = 1,
    onProgress,
  } = options;
  if (n < 2) return new Float32Array(2 * n);

  // A perplexity needs about 3·perplexity neighbours; shrink it rather than fail on small inputs.
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const k = Math.min(n - 1, Math.max(1, Math.floor(3 * perplexity)));
  const affinities = symmetricAffinities(exactNearestNeighbours(points, k), perplexity);

  const random = seededGaussian(seed);
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < positions.length; i += 1) positions[i] = INITIAL_SPREAD * random();
  const gradient = new Float64Array(2 * n);
  const velocity = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const tree = new BarnesHutQuadTree();

  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const early = iteration < exaggerationIterations;
    barnesHutGradient(positions, affinities, early ? earlyExaggeration : 1, tree, theta, gradient);
    const momentum = early ? INITIAL_MOMENTUM : FINAL_MOMENTUM;
    for (let c = 0; c < positions.length; c += 1) {
      const g = gradient[c]!;
      const v = velocity[c]!;
      // Delta-bar-delta gains: speed up a coordinate while the gradient keeps pushing the same way.
      const gain = Math.sign(g) !== Math.sign(v) ? gains[c]! + 0.2 : gains[c]! * 0.8;
      gains[c] = Math.max(gain, MIN_GAIN);
      velocity[c] = momentum * v - learningRate * gains[c]! * g;
      positions[c]! += velocity[c]!;
    }
    centre(positions);
    onProgress?.(iteration + 1, iterations);
  }
  return Float32Array.from(positions);
}

/** The cost is translation-invariant; re-centring keeps coordinates from drifting. */
function centre(positions: Float64Array): void {
  const n = positions.length / 2;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i += 1) {
    meanX += positions[2 * i]!;
    meanY += positions[2 * i + 1]!;
  }
  meanX /= n;
  meanY /= n;
  for (let i = 0; i < n; i += 1) {
    positions[2 * i]! -= meanX;
    positions[2 * i + 1]! -= meanY;
  }
}
