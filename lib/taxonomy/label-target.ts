import type { TaxonomyIndex } from "./taxonomy-index";

/** A curated label as a curator names it: a primary, and a secondary within it or null for None. */
export interface LabelTarget {
  primary: string;
  secondary: string | null;
}

export interface ResolvedLabel {
  primaryId: number;
  secondaryId: number | null;
}

/** A label the taxonomy does not allow; the message is meant for the curator as it stands. */
export class TaxonomyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TaxonomyViolation";
  }
}

/** Enforces the taxonomy on a new label: known, not retired, and the secondary belongs to the primary. */
export function resolveLabelTarget(index: TaxonomyIndex, target: LabelTarget): ResolvedLabel {
  const primary = index.find("primary", target.primary);
  if (!primary) throw new TaxonomyViolation(`"${target.primary}" is not a primary department`);
  if (!index.isUsable(primary)) throw new TaxonomyViolation(`"${primary.name}" is retired; new labels may not use it`);
  if (target.secondary === null) return { primaryId: primary.id, secondaryId: null };
  const secondary = index.find("secondary", target.secondary);
  if (!secondary) throw new TaxonomyViolation(`"${target.secondary}" is not a secondary department`);
  if (secondary.parentId !== primary.id) {
    const owner = index.nameOf(secondary.parentId);
    throw new TaxonomyViolation(`"${secondary.name}" belongs to ${owner}, not to ${primary.name}`);
  }
  if (!index.isUsable(secondary)) throw new TaxonomyViolation(`"${secondary.name}" is retired; new labels may not use it`);
  return { primaryId: primary.id, secondaryId: secondary.id };
}
