// One fixed colour per department, decided by the taxonomy alone: a department's rank by id among the
// departments of its level (retired ones included, since ids are never reused and departments never
// deleted). Counts, relabels, filters and projections cannot move a colour; a new department takes the
// next colour and leaves the others where they were.
//
// Primaries use Tableau's first six (familiar, far apart). The 29 secondaries use a palette picked
// greedily for the largest smallest CIELAB distance (ΔE76 ≥ 29 between any two, ≥ 40 from white and the
// map's greys), the glasbey method; no npm palette ships 29 colours that stay apart on white.

export const PRIMARY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"] as const;

export const SECONDARY_COLOURS = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#0000ff",
  "#ff00ee",
  "#776600",
  "#ff4499",
  "#4411aa",
  "#994455",
  "#117755",
  "#0077ff",
  "#ee9977",
  "#aa0099",
  "#ccaa00",
  "#99bb77",
  "#bb66ff",
  "#772200",
  "#00bbbb",
  "#ee88bb",
  "#443366",
  "#00cc00",
  "#224400",
  "#99bb22",
  "#770055",
  "#aa22ff",
  "#003399",
  "#ff77ee",
] as const;

/** Points with no department of this kind (not labelled, secondary None, not curated). */
export const NO_DEPARTMENT_COLOUR = "#c9ced6";

export interface PaletteDepartment {
  id: number;
  level: "primary" | "secondary";
}

/** The colour of every department of the taxonomy, by id. */
export function departmentColours(departments: readonly PaletteDepartment[]): Map<number, string> {
  const colours = new Map<number, string>();
  for (const level of ["primary", "secondary"] as const) {
    const palette = level === "primary" ? PRIMARY_COLOURS : SECONDARY_COLOURS;
    const ids = departments
      .filter((d) => d.level === level)
      .map((d) => d.id)
      .sort((a, b) => a - b);
    ids.forEach((id, rank) => colours.set(id, palette[rank % palette.length]!));
  }
  return colours;
}
