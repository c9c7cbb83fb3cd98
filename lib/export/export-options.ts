import { z } from "zod";

export const EXPORT_FORMATS = ["jsonl", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Whether o1 SFT and DPO may use the same instructions. The paper says both "17,000 for SFT, all
 * 33,000 for DPO" (shared) and "half of the long-form data for SFT, the rest for DPO" (disjoint).
 */
export const DPO_OVERLAPS = ["shared", "disjoint"] as const;

/**
 * absolute: the sizes as asked (the paper's by default), each capped by its pool; proportional: the asked
 * sizes all scaled by one factor, the largest at which every pool holds its split, so a dataset smaller
 * than FineMed keeps the paper's proportions instead of every stage becoming "all there is".
 */
export const SPLIT_SIZINGS = ["absolute", "proportional"] as const;
export type SplitSizing = (typeof SPLIT_SIZINGS)[number];
export type DpoOverlap = (typeof DPO_OVERLAPS)[number];

/** The paper's split sizes (DESIGN.md §1); the TTT index takes every long-form sample unless sized. */
export const PAPER_SIZES = { sftStage1: 200_000, sftStage2: 36_000, sftStage3: 11_000, o1Sft: 17_000, dpo: 33_000 } as const;

const size = z.number().int().min(0).max(100_000_000);

export const exportOptionsSchema = z.object({
  format: z.enum(EXPORT_FORMATS).default("jsonl"),
  /** Every split's sample is drawn from this seed (recorded in the manifest with each split's own). */
  seed: z.string().min(1).max(200).default("finemed-export"),
  sizes: z
    .object({
      sftStage1: size.default(PAPER_SIZES.sftStage1),
      sftStage2: size.default(PAPER_SIZES.sftStage2),
      sftStage3: size.default(PAPER_SIZES.sftStage3),
      o1Sft: size.default(PAPER_SIZES.o1Sft),
      dpo: size.default(PAPER_SIZES.dpo),
      /** null: every long-form sample. */
      ttt: size.nullable().default(null),
    })
    .default({ ...PAPER_SIZES, ttt: null }),
  /** The part of SFT stage 1 held out for validation. */
  validationFraction: z.number().min(0).max(0.5).default(0.1),
  dpoOverlap: z.enum(DPO_OVERLAPS).default("shared"),
  sizing: z.enum(SPLIT_SIZINGS).default("absolute"),
  /** Also write FineMed's release layout (release/<department>/, Medicine (all), SFTo1Data); JSONL. */
  releaseLayout: z.boolean().default(false),
  /**
   * GPUs per training job: the configs' gradient accumulation makes the paper's global batch
   * (256 / 128 / 64) on this many (the paper: 4). Must divide 64.
   */
  gpus: z
    .number()
    .int()
    .min(1)
    .max(64)
    .refine((gpus) => 64 % gpus === 0, {
      error: "the GPU count must divide 64 (1, 2, 4, 8, 16, 32 or 64) to reach the paper's global batch",
    })
    .default(4),
  /** Export a version that is not approved (a preview): the manifest and card say so. */
  allowUnapproved: z.boolean().default(false),
  /**
   * Refuse to export while a split is empty or short (findShortSplits) unless acknowledged. The CLI and
   * the studio's Export turn it on; other library callers (the training hand-off, tests) leave it off,
   * and the manifest and card still name every short split and say it was not acknowledged.
   */
  shortSplitGate: z.boolean().default(false),
  /** The exporter has seen the short or empty splits and exports anyway (recorded in manifest and card). */
  acknowledgeShortSplits: z.boolean().default(false),
});
export type ExportOptions = z.output<typeof exportOptionsSchema>;
export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;
export type SplitSizes = ExportOptions["sizes"];
