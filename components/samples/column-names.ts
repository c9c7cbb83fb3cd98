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
