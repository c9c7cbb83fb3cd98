import KDBush from "kdbush";

// regl-scatterplot's own node size, so hover and lasso search the tree it would have built.
const NODE_SIZE = 16;

// A recolour draws the same positions again: their tree is kept for as long as the positions are.
const built = new WeakMap<Float32Array, ArrayBuffer>();

/**
 * The kd-tree regl-scatterplot searches for hover and lasso, built from the typed position arrays and handed
 * to `draw()` as `spatialIndex`. Left to itself the library sends a million points to its index worker as a
 * million small arrays, a structured clone of about a second, and draws nothing until the tree is back.
 */
export function spatialIndexOf(x: Float32Array, y: Float32Array): ArrayBuffer | undefined {
  if (x.length === 0) return undefined;
  const known = built.get(x);
  if (known) return known;
  const index = new KDBush(x.length, NODE_SIZE);
  for (let i = 0; i < x.length; i++) index.add(x[i]!, y[i]!);
  index.finish();
  const { data } = index;
  // kdbush allocates a plain ArrayBuffer unless it is handed shared memory, which this never does.
  if (!(data instanceof ArrayBuffer)) throw new Error("the spatial index was built in shared memory");
  built.set(x, data);
  return data;
}
