import { describe, expect, it } from "vitest";
import { toHalf } from "../vectors/vector-codec";
import { seededGaussian } from "../vectors/seeded-random";
import { EXACT_UP_TO, SpaceIndex } from "./space-index";

function unitVectors(count: number, dimensions: number, clusters: number, seed: number): Float32Array {
  const gaussian = seededGaussian(seed);
  const centres = Float32Array.from({ length: clusters * dimensions }, () => gaussian());
  const values = new Float32Array(count * dimensions);
  for (let i = 0; i < count; i += 1) {
    let norm = 0;
    for (let j = 0; j < dimensions; j += 1) {
      const value = centres[(i % clusters) * dimensions + j]! + 0.7 * gaussian();
      values[i * dimensions + j] = value;
      norm += value * value;
    }
    for (let j = 0; j < dimensions; j += 1) values[i * dimensions + j]! /= Math.sqrt(norm);
  }
  return values;
}

function bruteForce(values: Float32Array, dimensions: number, query: Float32Array, k: number, accept?: (row: number) => boolean): number[] {
  const count = values.length / dimensions;
  const scores = Array.from({ length: count }, (_, row) => {
    let dot = 0;
    for (let j = 0; j < dimensions; j += 1) dot += values[row * dimensions + j]! * query[j]!;
    return { row, dot };
  });
  return scores
    .filter((s) => !accept || accept(s.row))
    .sort((a, b) => b.dot - a.dot || a.row - b.row)
    .slice(0, k)
    .map((s) => s.row);
}

describe("SpaceIndex", () => {
  it("answers exactly like a brute-force scan below the sketch threshold, honouring the filter and the exclusion", () => {
    const d = 64;
    const values = unitVectors(3_000, d, 12, 1);
    const index = new SpaceIndex(
      BigInt64Array.from({ length: 3_000 }, (_, i) => BigInt(i + 1)),
      d,
      values,
    );
    expect(index.approximate).toBe(false);
    const accept = Uint8Array.from({ length: 3_000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    for (const row of [0, 17, 2_999]) {
      const query = values.subarray(row * d, (row + 1) * d);
      expect(index.search(query, 10, undefined, row).map((hit) => hit.row)).toEqual(
        bruteForce(values, d, query, 11)
          .filter((r) => r !== row)
          .slice(0, 10),
      );
      expect(index.search(query, 5, accept).map((hit) => hit.row)).toEqual(bruteForce(values, d, query, 5, (r) => accept[r] === 1));
    }
  });

  it("above it, searches float16 rows through a PCA sketch and re-ranks, finding nearly all of the true top 10", () => {
    const d = 256;
    const count = EXACT_UP_TO + 2_000;
    const values = unitVectors(count, d, 40, 2);
    const halves = Uint16Array.from(values, (value) => toHalf(value));
    const index = new SpaceIndex(
      BigInt64Array.from({ length: count }, (_, i) => BigInt(i + 1)),
      d,
      halves,
    );
    expect(index.approximate).toBe(true);
    let found = 0;
    for (let q = 0; q < 20; q += 1) {
      const row = (q * 997) % count;
      const query = values.subarray(row * d, (row + 1) * d);
      const hits = index.search(query, 10);
      const truth = new Set(bruteForce(values, d, query, 10));
      found += hits.filter((hit) => truth.has(hit.row)).length;
      expect(hits.map((hit) => hit.similarity)).toEqual([...hits.map((hit) => hit.similarity)].sort((a, b) => b - a));
    }
    expect(found / 200).toBeGreaterThan(0.9);
  }, 240_000);
});
