import type { PlannedSplit, SplitName } from "./split-plan";

const BASENAMES: Record<SplitName, string> = {
  sft_stage1: "sft_stage1",
  sft_stage2: "sft_stage2_internal_medicine",
  sft_stage3: "sft_stage3_endocrinology",
  o1_sft: "o1_sft",
  dpo: "dpo",
  ttt_index: "ttt_index",
};

export const DATA_DIR = "data";

/**
 * The data files of a split, relative to the export directory; SFT stage 1 has a train and a validation
 * file; DPO has its rows a second time in TRL's conversational format (a chat template applies to them).
 */
export function splitFiles(
  split: Pick<PlannedSplit, "name">,
  extension: string,
): { train: string; validation: string | null; conversational: string | null } {
  const base = BASENAMES[split.name];
  if (split.name === "sft_stage1")
    return {
      train: `${DATA_DIR}/${base}_train.${extension}`,
      validation: `${DATA_DIR}/${base}_validation.${extension}`,
      conversational: null,
    };
  if (split.name === "dpo")
    return {
      train: `${DATA_DIR}/${base}.${extension}`,
      validation: null,
      conversational: `${DATA_DIR}/${base}_conversational.${extension}`,
    };
  return { train: `${DATA_DIR}/${base}.${extension}`, validation: null, conversational: null };
}

/** A dataset's name in LLaMA-Factory's dataset_info.json. */
export function llamaFactoryName(split: SplitName, part: "train" | "validation" = "train"): string {
  return split === "sft_stage1" ? `finemed_sft_stage1_${part}` : `finemed_${split}`;
}
