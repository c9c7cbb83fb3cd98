import { describe, expect, it } from "vitest";
import { BarnesHutQuadTree } from "./quadtree";
import { seededGaussian } from "../vectors/seeded-random";

function exactRepulsion(positions: Float64Array, i: number): { force: [number, number]; sumQ: number } {
  let fx = 0;
  let fy = 0;
  let sumQ = 0;
  for (let j = 0; j < positions.length / 2; j += 1) {
    if (j === i) continue;
    const dx = positions[2 * i]! - positions[2 * j]!;
    const dy = positions[2 * i + 1]! - positions[2 * j + 1]!;
    const q = 1 / (1 + dx * dx + dy * dy);
    sumQ += q;
    fx += q * q * dx;
    fy += q * q * dy;
  }
  return { force: [fx, fy], sumQ };
}

describe("BarnesHutQuadTree", () => {
  const random = seededGaussian(5);
  const positions = Float64Array.from({ length: 400 }, () => 3 * random());
  // Exact duplicates must neither loop forever nor repel each other.
  positions.set([0.5, 0.5, 0.5, 0.5], 0);
  const tree = new BarnesHutQuadTree();
  tree.build(positions);

  it("matches the exact sums when theta is 0", () => {
    for (const i of [0, 1, 7, 150]) {
      const force = new Float64Array(2);
      const sumQ = tree.accumulateRepulsion(positions[2 * i]!, positions[2 * i + 1]!, 0, force);
      const exact = exactRepulsion(positions, i);
      expect(sumQ).toBeCloseTo(exact.sumQ, 9);
      expect(force[0]).toBeCloseTo(exact.force[0], 9);
      expect(force[1]).toBeCloseTo(exact.force[1], 9);
    }
  });

  it("stays within a few percent of exact at theta 0.5", () => {
    const i = 42;
    const force = new Float64Array(2);
    const sumQ = tree.accumulateRepulsion(positions[2 * i]!, positions[2 * i + 1]!, 0.5, force);
    const exact = exactRepulsion(positions, i);
    expect(Math.abs(sumQ - exact.sumQ) / exact.sumQ).toBeLessThan(0.05);
    const error = Math.hypot(force[0]! - exact.force[0], force[1]! - exact.force[1]);
    expect(error / Math.hypot(...exact.force)).toBeLessThan(0.1);
  });
});
