import KDBush from "kdbush";
import { describe, expect, it } from "vitest";
import { spatialIndexOf } from "../components/map/spatial-index";

// The map hands regl-scatterplot a kd-tree it built itself; hover and lasso search it, so it must hold every
// point under its own index, answer as a scan does, and be in the serialised form the library reads.
describe("the map's spatial index", () => {
  const count = 5_000;
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const x = Float32Array.from({ length: count }, random);
  const y = Float32Array.from({ length: count }, random);

  it("answers box and radius queries with the same point indexes as a scan", () => {
    const index = KDBush.from(spatialIndexOf(x, y)!);
    const inBox = index.range(-0.2, -0.1, 0.3, 0.25).sort((a, b) => a - b);
    const scanBox = [...x.keys()].filter((i) => x[i]! >= -0.2 && x[i]! <= 0.3 && y[i]! >= -0.1 && y[i]! <= 0.25);
    expect(inBox).toEqual(scanBox);
    expect(inBox.length).toBeGreaterThan(100);
    const near = index.within(x[42]!, y[42]!, 0.05).sort((a, b) => a - b);
    const scanNear = [...x.keys()].filter((i) => (x[i]! - x[42]!) ** 2 + (y[i]! - y[42]!) ** 2 <= 0.05 ** 2);
    expect(near).toEqual(scanNear);
    expect(near).toContain(42);
  });

  it("is kdbush's format version 1 with regl-scatterplot's node size, and nothing for no points", () => {
    const data = spatialIndexOf(x, y)!;
    expect([...new Uint8Array(data, 0, 2)]).toEqual([0xdb, (1 << 4) + 8]); // magic, version 1, Float64Array
    expect(new Uint16Array(data, 2, 1)[0]).toBe(16);
    expect(new Uint32Array(data, 4, 1)[0]).toBe(count);
    expect(spatialIndexOf(new Float32Array(0), new Float32Array(0))).toBeUndefined();
  });

  it("is built once per position arrays: a recolour of the same points reuses it", () => {
    expect(spatialIndexOf(x, y)).toBe(spatialIndexOf(x, y));
    expect(spatialIndexOf(x.slice(), y)).not.toBe(spatialIndexOf(x, y));
  });
});
