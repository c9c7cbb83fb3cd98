import type { VersionCounts } from "../datasets/version-view";
import type { ExportOptions, SplitSizes } from "./export-options";

export const SPLIT_NAMES = ["sft_stage1", "sft_stage2", "sft_stage3", "o1_sft", "dpo", "ttt_index"] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** conversational_preference: TRL's conversational DPO rows (prompt/chosen/rejected as message lists), beside the DPO file. */
export type RowShape = "messages" | "preference" | "conversational_preference" | "ttt";

/** One split as it will be exported: how many rows were asked for, exist, and will be written. */
export interface PlannedSplit {
  name: SplitName;
  shape: RowShape;
  description: string;
  /** Null: all of the pool. */
  requested: number | null;
  available: number;
  rows: number;
  smallerThanAsked: boolean;
  /** The seed of this split's sample order. */
  seed: string;
  /** SFT stage 1 only: how many of `rows` go to the validation file (the first ones in sample order). */
  validationRows: number;
}

const DESCRIPTIONS: Record<SplitName, string> = {
  sft_stage1: "SFT stage 1: a random sample of all SFT data (common tier, chosen answer), 10% held out for validation",
  sft_stage2: "SFT stage 2: Internal Medicine subset of the SFT data",
  sft_stage3: "SFT stage 3: Endocrinology subset of the SFT data",
  o1_sft: "o1 SFT: complex instructions with long-form reasoning (Thought + Summarization)",
  dpo: "DPO: prompt / chosen (long-form reasoning) / rejected (direct answer)",
  ttt_index:
    "TTT index: the long-form reasoning samples to retrieve from at test time (with their embeddings when the version's samples are mapped)",
};

const SHAPES: Record<SplitName, RowShape> = {
  sft_stage1: "messages",
  sft_stage2: "messages",
  sft_stage3: "messages",
  o1_sft: "messages",
  dpo: "preference",
  ttt_index: "ttt",
};

/**
 * Sizes capped by what the version holds. `disjointDpoAvailable` is the DPO pool left once o1 SFT has
 * taken its sample (only asked for with --dpo-overlap disjoint; it depends on which rows o1 SFT drew).
 */
/** The scale proportional sizing applies (1 with absolute sizing, or when every pool holds its ask). */
export function sizeScale(counts: VersionCounts, options: ExportOptions): number {
  if (options.sizing === "absolute") return 1;
  const { sizes } = options;
  const asks: [number, number][] = [
    [sizes.sftStage1, counts.pools.sft],
    [sizes.sftStage2, counts.pools.internalMedicine],
    [sizes.sftStage3, counts.pools.endocrinology],
    [sizes.o1Sft, counts.pools.longForm],
    [sizes.dpo, counts.pools.dpo],
  ];
  return Math.min(1, ...asks.filter(([ask]) => ask > 0).map(([ask, pool]) => pool / ask));
}

/**
 * The sizes asked for after sizing: scaled (proportional), and with disjoint o1 SFT / DPO on a long-form
 * set smaller than both asks, o1 SFT takes half of it so DPO keeps the other half (the paper's "half for
 * SFT, the rest for DPO") instead of o1 SFT taking everything and DPO nothing.
 */
export function effectiveSizes(counts: VersionCounts, options: ExportOptions): SplitSizes {
  const scale = sizeScale(counts, options);
  const scaled = (n: number) => Math.floor(n * scale);
  const { sizes } = options;
  const result: SplitSizes = {
    sftStage1: scaled(sizes.sftStage1),
    sftStage2: scaled(sizes.sftStage2),
    sftStage3: scaled(sizes.sftStage3),
    o1Sft: scaled(sizes.o1Sft),
    dpo: scaled(sizes.dpo),
    ttt: sizes.ttt,
  };
  if (options.dpoOverlap === "disjoint" && counts.pools.longForm < result.o1Sft + result.dpo)
    result.o1Sft = Math.min(result.o1Sft, Math.floor(counts.pools.longForm / 2));
  return result;
}

export function planSplits(counts: VersionCounts, options: ExportOptions, disjointDpoAvailable: number | null): PlannedSplit[] {
  const sizes = effectiveSizes(counts, options);
  const pools: Record<SplitName, { requested: number | null; available: number }> = {
    sft_stage1: { requested: sizes.sftStage1, available: counts.pools.sft },
    sft_stage2: { requested: sizes.sftStage2, available: counts.pools.internalMedicine },
    sft_stage3: { requested: sizes.sftStage3, available: counts.pools.endocrinology },
    o1_sft: { requested: sizes.o1Sft, available: counts.pools.longForm },
    dpo: { requested: sizes.dpo, available: disjointDpoAvailable ?? counts.pools.dpo },
    ttt_index: { requested: sizes.ttt, available: counts.pools.longForm },
  };
  return SPLIT_NAMES.map((name) => {
    const { requested, available } = pools[name];
    const rows = requested === null ? available : Math.min(requested, available);
    return {
      name,
      shape: SHAPES[name],
      description: DESCRIPTIONS[name],
      requested,
      available,
      rows,
      smallerThanAsked: requested !== null && rows < requested,
      seed: splitSeed(options.seed, name),
      validationRows: name === "sft_stage1" ? Math.round(rows * options.validationFraction) : 0,
    };
  });
}

export function splitSeed(seed: string, split: SplitName): string {
  return `${seed}:${split}`;
}
