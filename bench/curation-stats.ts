/** p50/p95/max of a list of milliseconds (nearest-rank percentiles). */
export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return { n: sorted.length, p50: rank(0.5), p95: rank(0.95), max: sorted.at(-1) ?? 0 };
}

export const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
