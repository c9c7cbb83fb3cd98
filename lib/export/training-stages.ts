import type { SplitName } from "./split-plan";

/** DESIGN.md §1 (paper §3): shared by every stage; base model LLaMA3.1-8B on 4×A100-80G. */
export const PAPER_TRAINING = {
  baseModel: "meta-llama/Llama-3.1-8B",
  gpus: 4,
  warmupRatio: 0.1,
  scheduler: "cosine",
  weightDecay: 0.01,
  dropout: 0.1,
  optimizer: "adamw_torch",
  bf16: true,
  deepspeed: "ZeRO-3",
  seed: 42,
} as const;

export interface TrainingStage {
  order: number;
  key: "1_sft_stage1" | "2_sft_stage2" | "3_sft_stage3" | "4_o1_sft" | "5_dpo";
  title: string;
  kind: "sft" | "dpo";
  train: SplitName;
  /** SFT stage 1 validates on its held-out 10%. */
  validation: boolean;
  learningRate: number;
  epochs: number;
  globalBatchSize: number;
  perDeviceBatchSize: number;
  cutoffLen: number;
  beta?: number;
}

/** The chain in training order: each stage starts from the previous stage's weights. */
export const TRAINING_STAGES: readonly TrainingStage[] = [
  {
    order: 1,
    key: "1_sft_stage1",
    title: "SFT stage 1 (all medicine)",
    kind: "sft",
    train: "sft_stage1",
    validation: true,
    learningRate: 3e-5,
    epochs: 2,
    globalBatchSize: 256,
    perDeviceBatchSize: 8,
    cutoffLen: 1024,
  },
  {
    order: 2,
    key: "2_sft_stage2",
    title: "SFT stage 2 (Internal Medicine)",
    kind: "sft",
    train: "sft_stage2",
    validation: false,
    learningRate: 5e-6,
    epochs: 2,
    globalBatchSize: 128,
    perDeviceBatchSize: 8,
    cutoffLen: 1024,
  },
  {
    order: 3,
    key: "3_sft_stage3",
    title: "SFT stage 3 (Endocrinology)",
    kind: "sft",
    train: "sft_stage3",
    validation: false,
    learningRate: 5e-6,
    epochs: 1,
    globalBatchSize: 128,
    perDeviceBatchSize: 8,
    cutoffLen: 1024,
  },
  {
    order: 4,
    key: "4_o1_sft",
    title: "o1 SFT (long-form reasoning)",
    kind: "sft",
    train: "o1_sft",
    validation: false,
    learningRate: 5e-7,
    epochs: 2,
    globalBatchSize: 64,
    perDeviceBatchSize: 2,
    cutoffLen: 8192,
  },
  {
    order: 5,
    key: "5_dpo",
    title: "DPO (reasoning vs direct answer)",
    kind: "dpo",
    train: "dpo",
    validation: false,
    learningRate: 5e-7,
    epochs: 1,
    globalBatchSize: 64,
    perDeviceBatchSize: 2,
    cutoffLen: 8192,
    beta: 0.1,
  },
];

/** How a stage's global batch is reached on a number of GPUs: per-device batch × accumulation × GPUs. */
export interface BatchPlan {
  gpus: number;
  perDeviceBatchSize: number;
  gradientAccumulation: number;
  globalBatchSize: number;
}

/**
 * The paper's global batch on `gpus` GPUs: the stage's per-device batch (lowered to the largest that
 * divides the batch per GPU when it does not), and the accumulation that makes up the rest. Refuses a
 * GPU count that cannot reach the paper's batch exactly.
 */
export function batchPlan(stage: TrainingStage, gpus: number): BatchPlan {
  if (!Number.isInteger(gpus) || gpus < 1) throw new RangeError(`GPU count must be a positive integer, got ${gpus}`);
  if (stage.globalBatchSize % gpus !== 0)
    throw new RangeError(`${stage.title}: the paper's global batch ${stage.globalBatchSize} cannot be split over ${gpus} GPUs`);
  const perGpu = stage.globalBatchSize / gpus;
  let perDevice = Math.min(stage.perDeviceBatchSize, perGpu);
  while (perGpu % perDevice !== 0) perDevice -= 1;
  return { gpus, perDeviceBatchSize: perDevice, gradientAccumulation: perGpu / perDevice, globalBatchSize: stage.globalBatchSize };
}

export function gradientAccumulation(stage: TrainingStage, gpus: number = PAPER_TRAINING.gpus): number {
  return batchPlan(stage, gpus).gradientAccumulation;
}

/** Where a stage's weights are saved, and so where the next stage starts from. */
export function stageOutputDir(root: string, stage: TrainingStage): string {
  return `${root}/${stage.key}`;
}

export function previousModel(root: string, stage: TrainingStage): string {
  const previous = TRAINING_STAGES.find((s) => s.order === stage.order - 1);
  return previous ? stageOutputDir(root, previous) : PAPER_TRAINING.baseModel;
}
