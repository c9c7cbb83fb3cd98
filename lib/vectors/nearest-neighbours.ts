/**
 * Exact k-nearest neighbours by squared Euclidean distance. O(n² · d): fine up to a few thousand points
 * (tests, samples); larger inputs need an approximate index (e.g. NN-descent or HNSW) or a sample.
 */

export interface NeighbourGraph {
  readonly k: number;
  /** Row-major n × k, nearest first; a point is never its own neighbour. */
  readonly indices: Int32Array;
  readonly squaredDistances: Float64Array;
}

export function squaredDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const delta = a[i]! - b[i]!;
    sum += delta * delta;
  }
  return sum;
}

export function exactNearestNeighbours(points: readonly Float32Array[], k: number): NeighbourGraph {
  const n = points.length;
  if (!Number.isInteger(k) || k < 1 || k > n - 1) throw new Error(`k must be between 1 and ${n - 1}, got ${k}`);
  const indices = new Int32Array(n * k);
  const squaredDistances = new Float64Array(n * k);
  const heapIndex = new Int32Array(k);
  const heapDistance = new Float64Array(k);

  for (let i = 0; i < n; i += 1) {
    const point = points[i]!;
    let size = 0;
    for (let j = 0; j < n; j += 1) {
      if (j === i) continue;
      const distance = squaredDistance(point, points[j]!);
      if (size < k) {
        siftUp(heapIndex, heapDistance, size, j, distance);
        size += 1;
      } else if (distance < heapDistance[0]!) {
        siftDown(heapIndex, heapDistance, k, j, distance);
      }
    }
    // Popping the max-heap from the back yields the row nearest first.
    for (let slot = k - 1; slot >= 0; slot -= 1) {
      indices[i * k + slot] = heapIndex[0]!;
      squaredDistances[i * k + slot] = heapDistance[0]!;
      const lastIndex = heapIndex[slot]!;
      const lastDistance = heapDistance[slot]!;
      if (slot > 0) siftDown(heapIndex, heapDistance, slot, lastIndex, lastDistance);
    }
  }
  return { k, indices, squaredDistances };
}

/** Max-heap insert at position `size`. */
function siftUp(heapIndex: Int32Array, heapDistance: Float64Array, size: number, index: number, distance: number): void {
  let position = size;
  while (position > 0) {
    const parent = (position - 1) >> 1;
    if (heapDistance[parent]! >= distance) break;
    heapIndex[position] = heapIndex[parent]!;
    heapDistance[position] = heapDistance[parent]!;
    position = parent;
  }
  heapIndex[position] = index;
  heapDistance[position] = distance;
}

/** Replaces the max-heap root with (index, distance) within the first `size` slots. */
function siftDown(heapIndex: Int32Array, heapDistance: Float64Array, size: number, index: number, distance: number): void {
  let position = 0;
  for (;;) {
    const left = 2 * position + 1;
    if (left >= size) break;
    const right = left + 1;
    const larger = right < size && heapDistance[right]! > heapDistance[left]! ? right : left;
    if (heapDistance[larger]! <= distance) break;
    heapIndex[position] = heapIndex[larger]!;
    heapDistance[position] = heapDistance[larger]!;
    position = larger;
  }
  heapIndex[position] = index;
  heapDistance[position] = distance;
}
