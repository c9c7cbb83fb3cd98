import { TRAINING_STAGES } from "../export/training-stages";
import type { SplitName } from "../export/split-plan";

/** One job of the chain: the paper's five training stages, then the TTT evaluation. */
export interface ChainStage {
  order: number;
  key: string;
  title: string;
  /** The split the stage reads (the TTT evaluation retrieves from the TTT index). */
  split: SplitName;
  kind: "sft" | "dpo" | "ttt_eval";
  /** The stage's trainer configs in the export (none for the evaluation). */
  llamaFactoryConfig: string | null;
  trlConfig: string | null;
}

export const TTT_EVAL_KEY = "6_ttt_eval";

/** SFT 1 → SFT 2 → SFT 3 → o1 SFT → DPO → TTT evaluation, each after the previous one succeeded. */
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
  { order: TRAINING_STAGES.length + 1, key: TTT_EVAL_KEY, title: "TTT evaluation (retrieval from the TTT index)", split: "ttt_index", kind: "ttt_eval", llamaFactoryConfig: null, trlConfig: null },
];

export const CHAIN_STAGE_KEYS = CHAIN_STAGES.map((stage) => stage.key) as [string, ...string[]];

export function chainStage(key: string): ChainStage | undefined {
  return CHAIN_STAGES.find((stage) => stage.key === key);
}
