import { describe, expect, it } from "vitest";
import { exactNearestNeighbours } from "../vectors/nearest-neighbours";
import { knnPreservation } from "./neighbour-preservation";

const line = [0, 1, 3, 6, 10, 15].map((x) => new Float32Array([x, 0]));
const flat = (points: Float32Array[]): Float32Array => Float32Array.from(points.flatMap((p) => [...p]));

describe("exactNearestNeighbours", () => {
  it("lists neighbours nearest first, never the point itself", () => {
    const { indices, squaredDistances } = exactNearestNeighbours(line, 2);
    expect([...indices.subarray(0, 2)]).toEqual([1, 2]);
    expect([...squaredDistances.subarray(0, 2)]).toEqual([1, 9]);
    expect([...indices.subarray(6, 8)]).toEqual([2, 4]); // from x = 6: x = 3 (distance 3), then x = 10 (distance 4)
  });

  it("rejects k the input cannot supply", () => {
    expect(() => exactNearestNeighbours(line, 6)).toThrow(/k must be/);
  });
});

describe("knnPreservation", () => {
  it("is 1 for an identical layout and drops when neighbourhoods are scrambled", () => {
    expect(knnPreservation(line, flat(line), 2)).toBe(1);
    const scrambled = flat([15, 0, 10, 1, 6, 3].map((x) => new Float32Array([x, 0])));
    expect(knnPreservation(line, scrambled, 2)).toBeLessThan(0.6);
  });

  it("rejects a layout of the wrong length", () => {
    expect(() => knnPreservation(line, new Float32Array(4), 2)).toThrow(/layout coordinates/);
  });
});
