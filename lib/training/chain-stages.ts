import { TRAINING_STAGES } from "../export/training-stages";
import type { SplitName } from "../export/split-plan";

export type ChainStageKind = "sft" | "dpo" | "ttt_eval" | "baseline_eval";

/** One job of the chain: the paper's five training stages, then the TTT evaluation and its baseline. */
export interface ChainStage {
  order: number;
  key: string;
  title: string;
  /** The split the stage reads (the TTT evaluation retrieves from the TTT index; the baseline reads none). */
  split: SplitName | null;
  kind: ChainStageKind;
  /** The stage's trainer configs in the export (none for the evaluations). */
  llamaFactoryConfig: string | null;
  trlConfig: string | null;
}

export const TTT_EVAL_KEY = "6_ttt_eval";
export const BASELINE_EVAL_KEY = "7_baseline_eval";
/** The last training stage: the model both evaluations read ("o1" in the paper's tables). */
export const TRAINED_MODEL_STAGE = TRAINING_STAGES.at(-1)!.key;

/** SFT 1 → SFT 2 → SFT 3 → o1 SFT → DPO → TTT evaluation → baseline evaluation, each after the previous one succeeded. */
export const CHAIN_STAGES: readonly ChainStage[] = [
  ...TRAINING_STAGES.map((stage) => ({
    order: stage.order,
    key: stage.key,
    title: stage.title,
    split: stage.train,
    kind: stage.kind,
    llamaFactoryConfig: `llamafactory/${stage.key}.yaml`,
    trlConfig: `trl/${stage.key}.yaml`,
  })),
  {
    order: TRAINING_STAGES.length + 1,
    key: TTT_EVAL_KEY,
    title: "o1 + TTT evaluation (retrieve, fine-tune, answer, restore)",
    split: "ttt_index",
    kind: "ttt_eval",
    llamaFactoryConfig: null,
    trlConfig: null,
  },
  {
    order: TRAINING_STAGES.length + 2,
    key: BASELINE_EVAL_KEY,
    title: "o1 baseline evaluation (3-shot, 3 repeats, no TTT)",
    split: null,
    kind: "baseline_eval",
    llamaFactoryConfig: null,
    trlConfig: null,
  },
];

export const CHAIN_STAGE_KEYS = CHAIN_STAGES.map((stage) => stage.key) as [string, ...string[]];

export function chainStage(key: string): ChainStage | undefined {
  return CHAIN_STAGES.find((stage) => stage.key === key);
}

export const isEvaluationStage = (stage: ChainStage): boolean => stage.kind === "ttt_eval" || stage.kind === "baseline_eval";
