import { departmentColours, NO_DEPARTMENT_COLOUR } from "@/lib/map-points/department-palette";
import { POINT_FLAGS, type MapPoints } from "@/lib/map-points/point-payload";

// Turns a decoded payload and a "colour by" choice into one category per point and the legend that
// names them. Everything is categorical (scores become their values, reward becomes bins) so the
// legend can hide and show any group the same way, and the scatter gets one small integer per point.

export const COLOUR_BY = {
  primary: "Primary department (in force)",
  secondary: "Secondary department (in force)",
  modelPrimary: "Primary department (model)",
  modelSecondary: "Secondary department (model)",
  curatedPrimary: "Primary department (curated)",
  curatedSecondary: "Secondary department (curated)",
  tier: "Tier",
  quality: "Quality",
  difficulty: "Difficulty",
  relevance: "Relevance",
  reward: "Reward",
} as const;
export type ColourBy = keyof typeof COLOUR_BY;
export const COLOUR_BY_KEYS = Object.keys(COLOUR_BY) as ColourBy[];

export interface LegendEntry {
  label: string;
  colour: string;
  /** Points of this entry inside the shared filters (what the legend shows). */
  count: number;
  /** Points of this entry on the map, filtered out or not. */
  total: number;
  /** What the entry stands for in its column (department id, score, tier code; 0 = none); null for reward bins. */
  code: number | null;
}

export interface PointColouring {
  /** Legend index of each point. */
  category: Uint16Array;
  legend: LegendEntry[];
}

const MISSING = NO_DEPARTMENT_COLOUR;
// Viridis stops, low to high.
const RAMP = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];
const REWARD_BINS = 8;

function rampColour(position: number): string {
  return RAMP[Math.min(RAMP.length - 1, Math.max(0, Math.round(position * (RAMP.length - 1))))]!;
}

/** Per code: how many points, and how many inside the shared filters. */
function countCodes(points: MapPoints, code: (i: number) => number): { total: Map<number, number>; inFilter: Map<number, number> } {
  const total = new Map<number, number>();
  const inFilter = new Map<number, number>();
  for (let i = 0; i < points.count; i++) {
    const value = code(i);
    total.set(value, (total.get(value) ?? 0) + 1);
    if (points.flags[i]! & POINT_FLAGS.inFilter) inFilter.set(value, (inFilter.get(value) ?? 0) + 1);
  }
  return { total, inFilter };
}

function departmentColouring(points: MapPoints, column: Uint16Array, missingLabel: string): PointColouring {
  const counts = countCodes(points, (i) => column[i]!);
  const names = new Map(points.tables.departments.map((d) => [d.id, d.name]));
  // The colour is the department's own (fixed by the taxonomy), and so is the order: relabels and
  // filters change the counts, never which colour or line a department has.
  const colours = departmentColours(points.tables.departments);
  const ids = [...counts.total.keys()].filter((id) => id !== 0).sort((a, b) => a - b);
  const entry = (id: number, label: string, colour: string): LegendEntry => ({
    label,
    colour,
    count: counts.inFilter.get(id) ?? 0,
    total: counts.total.get(id)!,
    code: id,
  });
  const legend = ids.map((id) => entry(id, names.get(id) ?? `#${id}`, colours.get(id) ?? MISSING));
  const indexOf = new Map(ids.map((id, n) => [id, n]));
  const missing = legend.length;
  if (counts.total.has(0)) legend.push(entry(0, missingLabel, MISSING));
  const category = new Uint16Array(points.count);
  for (let i = 0; i < points.count; i++) category[i] = column[i] === 0 ? missing : indexOf.get(column[i]!)!;
  return { category, legend };
}

function codedColouring(
  points: MapPoints,
  column: Uint8Array,
  labels: string[],
  colours: string[],
  missingLabel: string,
  coded = true,
): PointColouring {
  const counts = countCodes(points, (i) => column[i]!);
  // Codes 1..n keep their order (a score scale reads low to high); code 0 (missing) goes last.
  const used = labels
    .map((label, n) => ({
      label,
      colour: colours[n]!,
      count: counts.inFilter.get(n + 1) ?? 0,
      total: counts.total.get(n + 1) ?? 0,
      code: n + 1,
    }))
    .filter((entry) => entry.total > 0);
  const legend: LegendEntry[] = used.map((entry) => ({ ...entry, code: coded ? entry.code : null }));
  const indexOf = new Map(used.map((entry, n) => [entry.code, n]));
  if (counts.total.has(0))
    legend.push({
      label: missingLabel,
      colour: MISSING,
      count: counts.inFilter.get(0) ?? 0,
      total: counts.total.get(0)!,
      code: coded ? 0 : null,
    });
  const category = new Uint16Array(points.count);
  for (let i = 0; i < points.count; i++) category[i] = column[i] === 0 ? legend.length - 1 : indexOf.get(column[i]!)!;
  return { category, legend };
}

function scoreColouring(points: MapPoints, column: Uint8Array, max: number): PointColouring {
  const labels = Array.from({ length: max }, (_, n) => String(n + 1));
  const colours = labels.map((_, n) => rampColour(n / (max - 1)));
  return codedColouring(points, column, labels, colours, "not judged");
}

function rewardColouring(points: MapPoints): PointColouring {
  let low = Infinity;
  let high = -Infinity;
  for (const value of points.reward) {
    if (Number.isNaN(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  const codes = new Uint8Array(points.count);
  const width = high > low ? (high - low) / REWARD_BINS : 1;
  for (let i = 0; i < points.count; i++) {
    const value = points.reward[i]!;
    codes[i] = Number.isNaN(value) ? 0 : 1 + Math.min(REWARD_BINS - 1, Math.floor((value - low) / width));
  }
  const labels = Array.from({ length: REWARD_BINS }, (_, n) => `${(low + n * width).toFixed(2)} – ${(low + (n + 1) * width).toFixed(2)}`);
  const colours = labels.map((_, n) => rampColour(n / (REWARD_BINS - 1)));
  // Bins exist only on this page (their edges follow the loaded points), so they carry no code.
  return codedColouring(points, codes, labels, colours, "no reward", false);
}

export function colourPoints(points: MapPoints, by: ColourBy): PointColouring {
  switch (by) {
    case "primary":
    case "secondary":
    case "modelPrimary":
    case "modelSecondary":
      return departmentColouring(points, points[by], by.toLowerCase().includes("secondary") ? "None / not labelled" : "not labelled");
    case "curatedPrimary":
    case "curatedSecondary":
      return departmentColouring(points, points[by], "not curated");
    case "tier":
      return codedColouring(points, points.tier, points.tables.tiers, ["#1f77b4", "#d62728"], "no tier");
    case "quality":
    case "difficulty":
      return scoreColouring(points, points[by], 10);
    case "relevance":
      return scoreColouring(points, points.relevance, 6);
    case "reward":
      return rewardColouring(points);
  }
}

export interface PointVisibility {
  /** Indexes of the points to draw, or null for all of them. */
  visible: number[] | null;
  /** Points the shared filters leave out (drawn grey, or not at all when asked). */
  outsideFilter: number;
  /** Points matching the highlight search. */
  searchMatches: number;
  /** Points drawn in their colour: inside the filters, of a shown legend entry, matching the highlight if any. */
  coloured: number;
  /** Per point: drawn in its colour (1) or grey (0). */
  active: Uint8Array;
}

/**
 * What the map draws and how: every point stays on the map for context, greyed when the filters leave it
 * out, its legend entry is switched off, or a highlight search is on and it does not match; points
 * outside the filters are left out only when the curator asks.
 */
export function visiblePoints(
  points: MapPoints,
  colouring: PointColouring,
  hidden: ReadonlySet<number>,
  showOutsideFilter: boolean,
  highlighting: boolean,
): PointVisibility {
  const visible: number[] = [];
  const active = new Uint8Array(points.count);
  let outsideFilter = 0;
  let searchMatches = 0;
  let coloured = 0;
  for (let i = 0; i < points.count; i++) {
    const flags = points.flags[i]!;
    const matches = (flags & POINT_FLAGS.searchMatch) !== 0;
    if (matches) searchMatches++;
    const inFilter = (flags & POINT_FLAGS.inFilter) !== 0;
    if (!inFilter) outsideFilter++;
    if (inFilter || showOutsideFilter) visible.push(i);
    if (inFilter && !hidden.has(colouring.category[i]!) && (!highlighting || matches)) {
      active[i] = 1;
      coloured++;
    }
  }
  return { visible: visible.length === points.count ? null : visible, outsideFilter, searchMatches, coloured, active };
}
