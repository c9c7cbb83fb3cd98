import type { Taxonomy } from "../taxonomy/taxonomy";

// The key scheme of focus mode. A label takes two keys: the primary's number, then the secondary's key
// within that primary's own list (so 1 means a different department under each primary, but never more
// than the up to 10 a primary has, each shown beside its key). N is "no secondary".
// Letters that act on the sample (A, S, Z, R, N) are never used for departments.

export const PRIMARY_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;
export const SECONDARY_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "q", "w", "e", "t", "y", "u", "i", "o", "p"] as const;
export const NO_SECONDARY_KEY = "n";

export interface KeyedDepartment {
  key: string;
  name: string;
}

export interface KeyedPrimary extends KeyedDepartment {
  secondaries: KeyedDepartment[];
}

/** The usable (not retired) departments with their keys, in the taxonomy's order. */
export function keyedTaxonomy(taxonomy: Taxonomy): KeyedPrimary[] {
  return taxonomy.tree
    .filter((primary) => primary.retiredAt === null)
    .slice(0, PRIMARY_KEYS.length)
    .map((primary, index) => ({
      key: PRIMARY_KEYS[index]!,
      name: primary.name,
      secondaries: primary.secondaries
        .filter((secondary) => secondary.retiredAt === null)
        .slice(0, SECONDARY_KEYS.length)
        .map((secondary, position) => ({ key: SECONDARY_KEYS[position]!, name: secondary.name })),
    }));
}

export type FocusCommand =
  | { kind: "confirm" }
  | { kind: "skip" }
  | { kind: "undo" }
  | { kind: "help" }
  | { kind: "cycle-reason" }
  | { kind: "cancel" }
  | { kind: "choose-primary"; primary: string }
  | { kind: "relabel"; primary: string; secondary: string | null };

/** What a key does, given the primary already chosen (null before the first number). */
export function commandForKey(key: string, chosenPrimary: string | null, keyed: KeyedPrimary[]): FocusCommand | null {
  const lower = key.length === 1 ? key.toLowerCase() : key;
  if (key === "?") return { kind: "help" };
  if (key === "Escape") return { kind: "cancel" };
  if (chosenPrimary !== null) {
    const primary = keyed.find((entry) => entry.name === chosenPrimary);
    if (!primary) return { kind: "cancel" };
    if (lower === NO_SECONDARY_KEY) return { kind: "relabel", primary: primary.name, secondary: null };
    const secondary = primary.secondaries.find((entry) => entry.key === lower);
    if (secondary) return { kind: "relabel", primary: primary.name, secondary: secondary.name };
    // The primary alone when it has no secondaries to choose from.
    if (key === "Enter" && primary.secondaries.length === 0) return { kind: "relabel", primary: primary.name, secondary: null };
    return null;
  }
  if (lower === "a" || key === "Enter") return { kind: "confirm" };
  if (lower === "s") return { kind: "skip" };
  if (lower === "z") return { kind: "undo" };
  if (lower === "r") return { kind: "cycle-reason" };
  const primary = keyed.find((entry) => entry.key === key);
  return primary ? { kind: "choose-primary", primary: primary.name } : null;
}

export const PRESET_REASONS = ["wrong specialty", "too general", "too specific", "ambiguous instruction"] as const;
