import { STAGE2_PRIMARY, STAGE3_SECONDARY } from "../datasets/stage-departments";
import type { VersionCounts } from "../datasets/version-view";
import type { ExportOptions } from "./export-options";
import { planSplits, type SplitName } from "./split-plan";
import { TRAINING_STAGES } from "./training-stages";

/** A split the export would write empty, or smaller than it is asked to be. */
export interface ShortSplit {
  split: SplitName;
  /** The split as a curator names it ("SFT stage 3 (Endocrinology)"). */
  title: string;
  /** The department a per-department split draws from; null for the others. */
  department: string | null;
  kind: "empty" | "short";
  /** Rows the version holds for this split (its pool). */
  available: number;
  /** Rows the chosen options ask for after sizing (null: all of the pool). */
  asked: number | null;
  /** Rows the export would write. */
  rows: number;
  /** The least rows a per-department split should hold; null for the other splits. */
  minimum: number | null;
  reason: string;
}

const TITLES: Record<SplitName, string> = {
  sft_stage1: "SFT stage 1",
  sft_stage2: `SFT stage 2 (${STAGE2_PRIMARY})`,
  sft_stage3: `SFT stage 3 (${STAGE3_SECONDARY})`,
  o1_sft: "o1 SFT",
  dpo: "DPO",
  ttt_index: "TTT index",
};

/** What each split's pool is, in a curator's words ("Endocrinology has 0 samples"). */
const POOLS: Record<SplitName, string> = {
  sft_stage1: "common-tier samples",
  sft_stage2: `${STAGE2_PRIMARY} common-tier samples`,
  sft_stage3: `${STAGE3_SECONDARY} common-tier samples`,
  o1_sft: "long-form (complex-tier) samples",
  dpo: "long-form samples with a direct answer to reject",
  ttt_index: "long-form (complex-tier) samples",
};

const DEPARTMENTS: Partial<Record<SplitName, string>> = { sft_stage2: STAGE2_PRIMARY, sft_stage3: STAGE3_SECONDARY };

/** The asked size before sizing scales it: a split the curator asked 0 rows of is never a warning. */
function askedBeforeSizing(split: SplitName, options: ExportOptions): number | null {
  const { sizes } = options;
  const asked: Record<SplitName, number | null> = {
    sft_stage1: sizes.sftStage1,
    sft_stage2: sizes.sftStage2,
    sft_stage3: sizes.sftStage3,
    o1_sft: sizes.o1Sft,
    dpo: sizes.dpo,
    ttt_index: sizes.ttt,
  };
  return asked[split];
}

const count = (value: number) => value.toLocaleString("en-US");

/**
 * Every split the export would write empty or short, for a version's counts and the chosen options.
 *
 * Empty: the curator asked for some rows (or all) and the split would get none; this is judged on the
 * ask before sizing, because proportional sizing scales every split to 0 when one pool is empty.
 * Short: fewer rows than the size asked after sizing (absolute: as asked; proportional: scaled), so
 * the export silently gives less than the options say. A per-department split (stages 2 and 3) is also
 * short below one global batch of its training stage, even when that meets the ask: a stage with less
 * than one global batch makes less than one optimizer step per epoch, so the curriculum stage it
 * exists for does not really happen.
 *
 * `disjointDpoAvailable` is the DPO pool left once o1 SFT has drawn (known only inside the export's
 * snapshot); without it the whole DPO pool is assumed, so a disjoint DPO shortfall may be found late.
 */
export function findShortSplits(counts: VersionCounts, options: ExportOptions, disjointDpoAvailable: number | null = null): ShortSplit[] {
  const scaled = options.sizing === "proportional";
  const found: ShortSplit[] = [];
  for (const split of planSplits(counts, options, disjointDpoAvailable)) {
    const department = DEPARTMENTS[split.name] ?? null;
    const stage = TRAINING_STAGES.find((s) => s.train === split.name);
    const minimum = department !== null && stage ? stage.globalBatchSize : null;
    const title = TITLES[split.name];
    const pool = POOLS[split.name];
    const asked = askedBeforeSizing(split.name, options);
    const base = { split: split.name, title, department, available: split.available, asked: split.requested, rows: split.rows, minimum };
    if (asked === 0) continue;
    if (split.rows === 0) {
      const reason =
        split.available === 0
          ? `${department ?? title} has 0 ${department ? "samples" : pool}: its split would be empty`
          : `proportional sizing scales every split by the smallest pool's share, and one pool is empty: ${title} would be empty although the version holds ${count(split.available)} ${pool}`;
      found.push({ ...base, kind: "empty", reason });
      continue;
    }
    if (split.requested !== null && split.rows < split.requested) {
      found.push({
        ...base,
        kind: "short",
        reason: `${title} would have ${count(split.rows)} rows of the ${count(split.requested)} asked${scaled ? " (after proportional sizing)" : ""}: the version holds only ${count(split.available)} ${pool}`,
      });
      continue;
    }
    if (minimum !== null && split.rows < minimum) {
      found.push({
        ...base,
        kind: "short",
        reason: `${department} has ${count(split.rows)} samples: ${title} would hold fewer than ${count(minimum)}, one global batch of its stage, so it trains less than one step per epoch`,
      });
    }
  }
  // Empty splits first: they are the ones that break a training chain outright.
  return [...found.filter((s) => s.kind === "empty"), ...found.filter((s) => s.kind === "short")];
}
