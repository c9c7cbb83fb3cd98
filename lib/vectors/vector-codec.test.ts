import { describe, expect, it } from "vitest";
import { decodeVector, encodeVector, fromHalf, toHalf } from "./vector-codec";

describe("vector codec", () => {
  it("converts float32 to IEEE half precision and back", () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(0)).toBe(0);
    expect(fromHalf(toHalf(2 ** -20))).toBeCloseTo(2 ** -20, 10);
    expect(fromHalf(0x3555)).toBeCloseTo(0.333251953125, 12);
    for (let value = -1; value <= 1; value += 0.0137)
      expect(Math.abs(fromHalf(toHalf(value)) - value)).toBeLessThanOrEqual(Math.abs(value) * 2 ** -11 + 2 ** -25);
  });

  it("stores unit vectors: f32 exactly, f16 within half precision, and refuses a wrong length", () => {
    const raw = Array.from({ length: 1024 }, (_, i) => Math.sin(i * 0.37) * (i % 7));
    const norm = Math.sqrt(raw.reduce((sum, v) => sum + v * v, 0));
    const f32 = decodeVector(encodeVector(raw, "f32"), "f32", 1024);
    f32.forEach((v, i) => expect(v).toBeCloseTo(raw[i]! / norm, 6));
    const f16bytes = encodeVector(raw, "f16");
    expect(f16bytes.length).toBe(2048);
    const f16 = decodeVector(f16bytes, "f16", 1024);
    let dot = 0;
    f16.forEach((v, i) => (dot += v * f32[i]!));
    expect(dot).toBeGreaterThan(0.99999);
    expect(() => decodeVector(f16bytes, "f32", 1024)).toThrow(/2048/);
    expect(Array.from(decodeVector(encodeVector([0, 0, 0], "f32"), "f32", 3))).toEqual([0, 0, 0]);
  });
});
