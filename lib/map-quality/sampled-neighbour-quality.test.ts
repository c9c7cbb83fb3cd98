import { describe, expect, it } from "vitest";
import { knnPreservation } from "../projection/neighbour-preservation";
import { seededUniform } from "../vectors/seeded-random";
import { vectorMatrix } from "../vectors/vector-matrix";
import { knnDepartmentPurity } from "./department-purity";
import { sampledDepartmentPurity, sampledNeighbourQuality } from "./sampled-neighbour-quality";

function cloud(n: number, d: number, seed: number): { matrix: ReturnType<typeof vectorMatrix>; rows: Float32Array[] } {
  const random = seededUniform(seed);
  const matrix = vectorMatrix(n, d);
  for (let i = 0; i < matrix.values.length; i += 1) matrix.values[i] = random();
  return { matrix, rows: Array.from({ length: n }, (_, i) => matrix.values.subarray(i * d, (i + 1) * d)) };
}

describe("sampledNeighbourQuality", () => {
  const { matrix, rows } = cloud(120, 6, 3);
  const all = Int32Array.from({ length: 120 }, (_, i) => i);

  it("with every point as a query equals the exact all-points preservation", () => {
    const layout = new Float32Array(240);
    for (let i = 0; i < 120; i += 1) {
      layout[2 * i] = rows[i]![0]!;
      layout[2 * i + 1] = rows[i]![1]!;
    }
    expect(sampledNeighbourQuality(matrix, layout, all, 5).preservation).toBeCloseTo(knnPreservation(rows, layout, 5), 10);
  });

  it("is 1 for a layout that is the space itself and near chance for a random one", () => {
    const flat = cloud(120, 2, 4);
    const same = sampledNeighbourQuality(flat.matrix, flat.matrix.values, Int32Array.from([0, 5, 50]), 4);
    expect(same.preservation).toBe(1);
    const random = cloud(120, 2, 9).matrix.values;
    expect(sampledNeighbourQuality(matrix, random, all, 5).preservation).toBeLessThan(0.2);
  });

  it("gives the same department purity as the exact form when every point is a query", () => {
    const departments = rows.map((row) => (row[0]! < 0.5 ? 1 : 2));
    const quality = sampledNeighbourQuality(matrix, new Float32Array(240), all, 10);
    expect(sampledDepartmentPurity(quality, (row) => departments[row]!, 10)).toBeCloseTo(knnDepartmentPurity(rows, departments, 10), 10);
    expect(sampledDepartmentPurity(quality, () => null)).toBeNull();
  });

  it("rejects a layout of the wrong length and an impossible k", () => {
    expect(() => sampledNeighbourQuality(matrix, new Float32Array(4), all, 5)).toThrow(/layout coordinates/);
    expect(() => sampledNeighbourQuality(matrix, new Float32Array(240), all, 120)).toThrow(/k must be/);
  });
});
