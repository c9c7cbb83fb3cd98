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
  count: number;
}

export interface PointColouring {
  /** Legend index of each point. */
  category: Uint16Array;
  legend: LegendEntry[];
}

// Tableau 20, darker first: distinct at small sizes on a white background.
const CATEGORICAL = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
  "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5", "#dbdb8d", "#393b79",
];
const MISSING = "#c9ced6";
// Viridis stops, low to high.
const RAMP = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];
const REWARD_BINS = 8;

function rampColour(position: number): string {
  return RAMP[Math.min(RAMP.length - 1, Math.max(0, Math.round(position * (RAMP.length - 1))))]!;
}

function departmentColouring(points: MapPoints, column: Uint16Array, missingLabel: string): PointColouring {
  const counts = new Map<number, number>();
  for (let i = 0; i < points.count; i++) counts.set(column[i]!, (counts.get(column[i]!) ?? 0) + 1);
  const names = new Map(points.tables.departments.map((d) => [d.id, d.name]));
  // Most common first, so the first colours go to the departments that fill the map.
  const ids = [...counts.keys()].filter((id) => id !== 0).sort((a, b) => counts.get(b)! - counts.get(a)! || a - b);
  const legend: LegendEntry[] = ids.map((id, n) => ({ label: names.get(id) ?? `#${id}`, colour: CATEGORICAL[n % CATEGORICAL.length]!, count: counts.get(id)! }));
  const indexOf = new Map(ids.map((id, n) => [id, n]));
  const missing = legend.length;
  if (counts.has(0)) legend.push({ label: missingLabel, colour: MISSING, count: counts.get(0)! });
  const category = new Uint16Array(points.count);
  for (let i = 0; i < points.count; i++) category[i] = column[i] === 0 ? missing : indexOf.get(column[i]!)!;
  return { category, legend };
}

function codedColouring(points: MapPoints, column: Uint8Array, labels: string[], colours: string[], missingLabel: string): PointColouring {
  const counts = new Array<number>(labels.length + 1).fill(0);
  for (let i = 0; i < points.count; i++) counts[column[i]!]!++;
  // Codes 1..n keep their order (a score scale reads low to high); code 0 (missing) goes last.
  const used = labels.map((label, n) => ({ code: n + 1, label, colour: colours[n]!, count: counts[n + 1]! })).filter((entry) => entry.count > 0);
  const legend: LegendEntry[] = used.map(({ label, colour, count }) => ({ label, colour, count }));
  const indexOf = new Map(used.map((entry, n) => [entry.code, n]));
  if (counts[0]! > 0) legend.push({ label: missingLabel, colour: MISSING, count: counts[0]! });
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
  return codedColouring(points, codes, labels, colours, "no reward");
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
  /** Points the shared filters leave out (hidden unless asked for). */
  outsideFilter: number;
  /** Points matching the highlight search. */
  searchMatches: number;
}

/** Which points to draw: those in the shared filters whose legend entry is not hidden. */
export function visiblePoints(points: MapPoints, colouring: PointColouring, hidden: ReadonlySet<number>, showOutsideFilter: boolean): PointVisibility {
  const visible: number[] = [];
  let outsideFilter = 0;
  let searchMatches = 0;
  for (let i = 0; i < points.count; i++) {
    const flags = points.flags[i]!;
    if (flags & POINT_FLAGS.searchMatch) searchMatches++;
    const inFilter = (flags & POINT_FLAGS.inFilter) !== 0;
    if (!inFilter) outsideFilter++;
    if ((inFilter || showOutsideFilter) && !hidden.has(colouring.category[i]!)) visible.push(i);
  }
  return { visible: visible.length === points.count ? null : visible, outsideFilter, searchMatches };
}
