import { describe, expect, it } from "vitest";
import { embedText } from "./embeddings";

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

describe("embedText", () => {
  it("returns deterministic unit vectors of the requested size", () => {
    const a = embedText("Metformin lowers hepatic glucose output.", 1024, 1);
    expect(a).toHaveLength(1024);
    expect(cosine(a, a)).toBeCloseTo(1, 4);
    expect(Array.from(embedText("Metformin lowers hepatic glucose output.", 1024, 1))).toEqual(Array.from(a));
    expect(cosine(embedText("", 64, 1), embedText("", 64, 1))).toBeCloseTo(1, 4);
  });

  it("puts texts that share words near each other", () => {
    const base = embedText("Metformin lowers blood glucose in type 2 diabetes.", 1024, 1);
    const similar = embedText("In type 2 diabetes, metformin lowers glucose.", 1024, 1);
    const unrelated = embedText("Fractures of the distal radius need casting.", 1024, 1);
    expect(cosine(base, similar)).toBeGreaterThan(0.7);
    expect(Math.abs(cosine(base, unrelated))).toBeLessThan(0.2);
  });
});
