/**
 * A coarse grid over a lasso's bounding box whose cells are known to lie wholly inside ('i') or wholly
 * outside ('o') the polygon, or to need the exact test ('b'): the server then runs PostgreSQL's
 * point-in-polygon (every edge, per point) only for points in 'b' cells, a thin band along the lasso.
 * A cell touched by an edge's bounding box is 'b', and so is every neighbour of such a cell, so a point
 * that rounding puts in the next cell over is still decided exactly.
 */
export interface PolygonGrid {
  minX: number;
  minY: number;
  /** Cells per unit of x and of y. */
  scaleX: number;
  scaleY: number;
  size: number;
  /** size × size characters, row x-major: cell (cx, cy) is at cx * size + cy. */
  mask: string;
}

export const GRID_SIZE = 64;

/** Ray casting with the even-odd rule, as PostgreSQL's `point <@ polygon` applies it inside the polygon. */
export function insidePolygon(x: number, y: number, polygon: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function polygonGrid(polygon: readonly (readonly [number, number])[], size = GRID_SIZE): PolygonGrid {
  const xs = polygon.map(([x]) => x);
  const ys = polygon.map(([, y]) => y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  // A flat lasso (all corners on one line) still gets a positive cell size.
  const width = Math.max(Math.max(...xs) - minX, Number.EPSILON);
  const height = Math.max(Math.max(...ys) - minY, Number.EPSILON);
  const scaleX = size / width;
  const scaleY = size / height;
  const cell = (value: number, min: number, scale: number) => Math.min(size - 1, Math.max(0, Math.floor((value - min) * scale)));

  const edge = new Uint8Array(size * size);
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    const x0 = cell(Math.min(xi, xj), minX, scaleX);
    const x1 = cell(Math.max(xi, xj), minX, scaleX);
    const y0 = cell(Math.min(yi, yj), minY, scaleY);
    const y1 = cell(Math.max(yi, yj), minY, scaleY);
    for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) edge[cx * size + cy] = 1;
  }
  let mask = "";
  for (let cx = 0; cx < size; cx++) {
    for (let cy = 0; cy < size; cy++) {
      let near = false;
      for (let dx = -1; dx <= 1 && !near; dx++) {
        for (let dy = -1; dy <= 1 && !near; dy++) {
          const nx = cx + dx;
          const ny = cy + dy;
          near = nx >= 0 && ny >= 0 && nx < size && ny < size && edge[nx * size + ny] === 1;
        }
      }
      if (near) mask += "b";
      else mask += insidePolygon(minX + (cx + 0.5) / scaleX, minY + (cy + 0.5) / scaleY, polygon) ? "i" : "o";
    }
  }
  return { minX, minY, scaleX, scaleY, size, mask };
}
