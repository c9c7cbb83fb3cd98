/**
 * n vectors of one dimension in one contiguous Float32Array (row-major): the layout the projection,
 * the neighbour index and the thread hand-off share, since an array of 300,000 small arrays costs far
 * more memory and cache misses than one block.
 */
export interface VectorMatrix {
  readonly count: number;
  readonly dimensions: number;
  readonly values: Float32Array;
}

export function vectorMatrix(count: number, dimensions: number, values: Float32Array = new Float32Array(count * dimensions)): VectorMatrix {
  if (values.length !== count * dimensions) throw new Error(`expected ${count * dimensions} values, got ${values.length}`);
  return { count, dimensions, values };
}

export function rowOf(matrix: VectorMatrix, row: number): Float32Array {
  return matrix.values.subarray(row * matrix.dimensions, (row + 1) * matrix.dimensions);
}

export function rowsOf(matrix: VectorMatrix, rows: ArrayLike<number>): Float32Array[] {
  return Array.from({ length: rows.length }, (_, i) => rowOf(matrix, rows[i]!));
}

/** Distinct row numbers drawn without replacement (partial Fisher–Yates), in ascending order. */
export function sampleRows(count: number, size: number, random: () => number): Int32Array {
  if (size >= count) return Int32Array.from({ length: count }, (_, i) => i);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < size; i += 1) {
    const j = i + Math.floor(random() * (count - i));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order.slice(0, size).sort();
}
