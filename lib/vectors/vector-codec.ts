/**
 * How a vector is stored in embeddings.vector: little-endian float32 ("f32") or IEEE half floats ("f16"),
 * L2-normalised before packing so a dot product is the cosine similarity. f16 halves the storage of a
 * 1024-d bge vector (4 KiB → 2 KiB) for a relative error below 1e-3, which no ranking notices.
 */

export const VECTOR_ENCODINGS = ["f32", "f16"] as const;
export type VectorEncoding = (typeof VECTOR_ENCODINGS)[number];

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Round-to-nearest-even float32 → binary16 (written here: Node 20 has no Float16Array). */
export function toHalf(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: the value is an integer multiple of 2^-24 (ties rounding up is fine this far down).
    return sign | Math.min(0x400, Math.round(Math.abs(scratch[0]) * 2 ** 24));
  }
  const half = sign | (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // Ties go to even; a carry out of the mantissa correctly bumps the exponent.
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) return half + 1;
  return half;
}

const HALF_TABLE = (() => {
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits += 1) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) table[bits] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) table[bits] = mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else table[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
})();

export function fromHalf(bits: number): number {
  return HALF_TABLE[bits & 0xffff]!;
}

/** Scales to unit length in place; the zero vector stays zero (it has no direction). */
export function normaliseInPlace(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i += 1) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i += 1) vector[i]! *= scale;
  return vector;
}

export function encodeVector(vector: ArrayLike<number>, encoding: VectorEncoding): Buffer {
  const unit = normaliseInPlace(Float32Array.from(vector));
  if (encoding === "f32") {
    const bytes = Buffer.alloc(unit.length * 4);
    for (let i = 0; i < unit.length; i += 1) bytes.writeFloatLE(unit[i]!, i * 4);
    return bytes;
  }
  const bytes = Buffer.alloc(unit.length * 2);
  for (let i = 0; i < unit.length; i += 1) bytes.writeUInt16LE(toHalf(unit[i]!), i * 2);
  return bytes;
}

/** Decodes into `target` at `offset` (a row of a contiguous matrix) or into a new array. */
export function decodeVector(
  bytes: Uint8Array,
  encoding: VectorEncoding,
  dimensions: number,
  target?: Float32Array,
  offset = 0,
): Float32Array {
  const width = encoding === "f32" ? 4 : 2;
  if (bytes.length !== dimensions * width)
    throw new Error(`a ${encoding} vector of ${dimensions} dimensions has ${dimensions * width} bytes, got ${bytes.length}`);
  const out = target ?? new Float32Array(dimensions);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === "f32") for (let i = 0; i < dimensions; i += 1) out[offset + i] = view.getFloat32(i * 4, true);
  else for (let i = 0; i < dimensions; i += 1) out[offset + i] = HALF_TABLE[view.getUint16(i * 2, true)]!;
  return out;
}
