import type { SparseAffinities } from "./perplexity-affinities";
import type { BarnesHutQuadTree } from "./quadtree";

/**
 * Barnes–Hut t-SNE gradient in the convention of van der Maaten's bhtsne (no factor 4, which the
 * learning rate absorbs): ∂C/∂y_i = Σ_j exaggeration·P_ij q_ij (y_i − y_j) − Σ_j q_ij² (y_i − y_j) / Z.
 * Attraction is exact over the sparse P; repulsion and Z come from the quadtree.
 */
export function barnesHutGradient(
  positions: Float64Array,
  affinities: SparseAffinities,
  exaggeration: number,
  tree: BarnesHutQuadTree,
  theta: number,
  gradient: Float64Array,
): void {
  const n = positions.length / 2;
  tree.build(positions);

  const repulsion = gradient; // accumulate repulsion in place, then fold in attraction
  repulsion.fill(0);
  const force = new Float64Array(2);
  let normalisation = 0;
  for (let i = 0; i < n; i += 1) {
    force[0] = 0;
    force[1] = 0;
    normalisation += tree.accumulateRepulsion(positions[2 * i]!, positions[2 * i + 1]!, theta, force);
    repulsion[2 * i] = force[0]!;
    repulsion[2 * i + 1] = force[1]!;
  }
  const inverseZ = normalisation > 0 ? 1 / normalisation : 0;

  const { rowStart, columns, values } = affinities;
  for (let i = 0; i < n; i += 1) {
    const x = positions[2 * i]!;
    const y = positions[2 * i + 1]!;
    let attractionX = 0;
    let attractionY = 0;
    for (let entry = rowStart[i]!; entry < rowStart[i + 1]!; entry += 1) {
      const j = columns[entry]!;
      const dx = x - positions[2 * j]!;
      const dy = y - positions[2 * j + 1]!;
      const weight = (exaggeration * values[entry]!) / (1 + dx * dx + dy * dy);
      attractionX += weight * dx;
      attractionY += weight * dy;
    }
    gradient[2 * i] = attractionX - repulsion[2 * i]! * inverseZ;
    gradient[2 * i + 1] = attractionY - repulsion[2 * i + 1]! * inverseZ;
  }
}
