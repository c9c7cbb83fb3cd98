/**
 * Integer hashes for the hashing trick. Hand-rolled so the offline embedder has no dependency and
 * gives the same buckets on every platform (Math.imul keeps everything in 32-bit integer arithmetic).
 */

/** Murmur3's finaliser: spreads every input bit over the whole word, so low bits are usable as buckets. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, then mixed, because raw FNV has weak low bits for short strings. */
export function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

export function hashPair(a: number, b: number, seed: number): number {
  return mix32(mix32(a ^ seed) + Math.imul(b, 0x9e3779b9));
}
