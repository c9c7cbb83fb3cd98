import { describe, expect, it } from "vitest";
import { insidePolygon, polygonGrid } from "./polygon-grid";

// A seeded generator, so a failure is reproducible.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function wobblyLasso(corners: number, next: () => number): [number, number][] {
  return Array.from({ length: corners }, (_, n) => {
    const angle = (2 * Math.PI * n) / corners;
    const radius = 1 + 0.3 * Math.sin(angle * 5) + 0.1 * next();
    return [10 + 4 * radius * Math.cos(angle), -3 + 2 * radius * Math.sin(angle)];
  });
}

function cellOf(grid: ReturnType<typeof polygonGrid>, x: number, y: number): string {
  const cell = (value: number, min: number, scale: number) => Math.min(grid.size - 1, Math.max(0, Math.floor((value - min) * scale)));
  return grid.mask[cell(x, grid.minX, grid.scaleX) * grid.size + cell(y, grid.minY, grid.scaleY)]!;
}

describe("the lasso's grid", () => {
  it("never decides a point the exact test would decide otherwise, and leaves most cells decided", () => {
    const next = random(7);
    const shapes: [number, number][][] = [
      wobblyLasso(400, next),
      wobblyLasso(12, next),
      // A concave C shape: cells in its mouth are outside though they sit inside the bounding box.
      [
        [0, 0],
        [10, 0],
        [10, 2],
        [2, 2],
        [2, 8],
        [10, 8],
        [10, 10],
        [0, 10],
      ],
    ];
    for (const polygon of shapes) {
      const grid = polygonGrid(polygon);
      expect(grid.mask).toHaveLength(grid.size * grid.size);
      const xs = polygon.map(([x]) => x);
      const ys = polygon.map(([, y]) => y);
      const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      for (let n = 0; n < 50_000; n++) {
        const x = minX + (maxX - minX) * next();
        const y = minY + (maxY - minY) * next();
        const decided = cellOf(grid, x, y);
        if (decided === "b") continue;
        expect(decided === "i", `(${x}, ${y})`).toBe(insidePolygon(x, y, polygon));
      }
      const band = [...grid.mask].filter((c) => c === "b").length / grid.mask.length;
      expect(band).toBeLessThan(0.5);
      expect(grid.mask).toContain("i");
    }
  });

  it("puts every corner and every point on an edge in a cell the exact test decides", () => {
    const polygon = wobblyLasso(50, random(11));
    const grid = polygonGrid(polygon);
    for (let i = 0; i < polygon.length; i++) {
      const [x0, y0] = polygon[i]!;
      const [x1, y1] = polygon[(i + 1) % polygon.length]!;
      for (const t of [0, 0.25, 0.5, 0.75]) expect(cellOf(grid, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)).toBe("b");
    }
  });
});
