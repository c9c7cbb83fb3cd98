/** The samples table's columns, in order, with the names the header and the column picker show. */
export const COLUMN_NAMES = {
  instruction: "Instruction",
  snippet: "Source",
  quality: "Quality",
  difficulty: "Difficulty",
  relevance: "Relevance",
  details: "Mentions details",
  tier: "Tier",
  status: "Kept / reason",
  primary: "Primary department",
  secondary: "Secondary department",
  reward: "Reward",
  run: "Run",
} as const;

export type ColumnId = keyof typeof COLUMN_NAMES;

export const COLUMN_IDS = Object.keys(COLUMN_NAMES) as ColumnId[];

export function isColumnId(value: string): value is ColumnId {
  return value in COLUMN_NAMES;
}

/** Named column sets for the jobs a curator comes for; the chosen one is kept in the URL (`cols`). */
export const COLUMN_PRESETS = {
  labelling: {
    name: "Labelling",
    columns: ["instruction", "quality", "difficulty", "relevance", "tier", "status", "primary", "secondary", "reward"],
  },
  scores: { name: "Scores", columns: ["instruction", "quality", "difficulty", "relevance", "details", "reward", "tier", "status"] },
  lineage: { name: "Lineage", columns: ["instruction", "snippet", "status", "tier", "run"] },
  all: { name: "All", columns: COLUMN_IDS },
} as const satisfies Record<string, { name: string; columns: readonly ColumnId[] }>;

export type PresetId = keyof typeof COLUMN_PRESETS;

export const DEFAULT_PRESET: PresetId = "labelling";

export function isPresetId(value: string | null): value is PresetId {
  return value !== null && value in COLUMN_PRESETS;
}

/** The columns a preset leaves out. */
export function presetHidden(preset: PresetId): ColumnId[] {
  const shown: readonly ColumnId[] = COLUMN_PRESETS[preset].columns;
  return COLUMN_IDS.filter((id) => !shown.includes(id));
}
