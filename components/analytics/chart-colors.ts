/** Series colours, distinguishable from each other and from the studio's accent; cycled past the end. */
const PALETTE = ["#0f6e6e", "#c2410c", "#6b21a8", "#1d4ed8", "#a16207", "#be185d", "#15803d", "#475569"];

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
