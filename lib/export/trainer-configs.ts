import type { ExportFormat } from "./export-options";
import { DATA_DIR, llamaFactoryName, splitFiles } from "./split-files";
import { FILE_EXTENSIONS } from "./split-writer";
import { batchPlan, PAPER_TRAINING, previousModel, stageOutputDir, TRAINING_STAGES, type TrainingStage } from "./training-stages";
import { yamlDocument, type YamlValue } from "./yaml-text";

export interface GeneratedFile {
  path: string;
  content: string;
}

const DEEPSPEED_CONFIG = "deepspeed/ds_z3_config.json";
/** Where each trainer takes the paper's dropout for full fine-tuning (neither has a plain dropout flag). */
const DROPOUT_NOTE = {
  llamafactory: `dropout ${PAPER_TRAINING.dropout} (paper): LLaMA-Factory reads it from the model's config; run python3 training/set_dropout.py --model MODEL_DIR first (writes attention_dropout ${PAPER_TRAINING.dropout} into config.json)`,
  trl: `dropout ${PAPER_TRAINING.dropout} (paper): model_init_kwargs.attention_dropout, passed by TRL to from_pretrained, overrides the model config`,
};

// LLaMA-Factory's own ZeRO-3 template (examples/deepspeed/ds_z3_config.json); "auto" takes the trainer's values.
const ZERO3 = {
  train_batch_size: "auto",
  train_micro_batch_size_per_gpu: "auto",
  gradient_accumulation_steps: "auto",
  gradient_clipping: "auto",
  zero_allow_untested_optimizer: true,
  bf16: { enabled: "auto" },
  zero_optimization: {
    stage: 3,
    overlap_comm: true,
    contiguous_gradients: true,
    sub_group_size: 1e9,
    reduce_bucket_size: "auto",
    stage3_prefetch_bucket_size: "auto",
    stage3_param_persistence_threshold: "auto",
    stage3_max_live_parameters: 1e9,
    stage3_max_reuse_distance: 1e9,
    stage3_gather_16bit_weights_on_model_save: true,
  },
};

const MESSAGES_FORMAT = {
  formatting: "sharegpt",
  columns: { messages: "messages" },
  tags: { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" },
};

/** LLaMA-Factory's data/dataset_info.json: file names are relative to the data directory; the loader follows the extension. */
function datasetInfo(format: ExportFormat): GeneratedFile {
  const extension = FILE_EXTENSIONS[format];
  const relative = (path: string) => path.slice(DATA_DIR.length + 1);
  const entries: Record<string, unknown> = {};
  for (const stage of TRAINING_STAGES) {
    const files = splitFiles({ name: stage.train }, extension);
    const base =
      stage.kind === "dpo" ? { ranking: true, columns: { prompt: "prompt", chosen: "chosen", rejected: "rejected" } } : MESSAGES_FORMAT;
    entries[llamaFactoryName(stage.train)] = { file_name: relative(files.train), ...base };
    if (files.validation) entries[llamaFactoryName(stage.train, "validation")] = { file_name: relative(files.validation), ...base };
  }
  return { path: `${DATA_DIR}/dataset_info.json`, content: `${JSON.stringify(entries, null, 2)}\n` };
}

function header(stage: TrainingStage, versionId: string, gpus: number, trainer: keyof typeof DROPOUT_NOTE, command: string): string[] {
  const plan = batchPlan(stage, gpus);
  return [
    `FineMed dataset version ${versionId}: stage ${stage.order} of ${TRAINING_STAGES.length}, ${stage.title}.`,
    `Hyperparameters from the paper (DESIGN.md §1): lr ${stage.learningRate.toExponential()}, ${stage.epochs} epoch(s), global batch ${plan.globalBatchSize} = ${plan.perDeviceBatchSize} per GPU x ${plan.gradientAccumulation} accumulation x ${plan.gpus} GPUs, seq len ${stage.cutoffLen}${stage.beta === undefined ? "" : `, beta ${stage.beta}`}.`,
    stage.validation
      ? "Best checkpoint by validation loss (load_best_model_at_end, eval_loss), evaluated and saved every epoch."
      : "No validation split: the checkpoint after the last epoch is kept (the paper's epoch count).",
    DROPOUT_NOTE[trainer],
    `Run from the export directory: ${command}`,
  ];
}

/** The paper picks stage 1's best checkpoint on its held-out 10%: evaluation and saving must share one schedule. */
const bestCheckpoint = (stage: TrainingStage): { [key: string]: YamlValue } =>
  stage.validation
    ? {
        eval_strategy: "epoch",
        save_strategy: "epoch",
        load_best_model_at_end: true,
        metric_for_best_model: "eval_loss",
        greater_is_better: false,
      }
    : { save_strategy: "epoch" };

const shared = (stage: TrainingStage, gpus: number): { [key: string]: YamlValue } => ({
  per_device_train_batch_size: batchPlan(stage, gpus).perDeviceBatchSize,
  gradient_accumulation_steps: batchPlan(stage, gpus).gradientAccumulation,
  learning_rate: stage.learningRate,
  num_train_epochs: stage.epochs,
  lr_scheduler_type: PAPER_TRAINING.scheduler,
  warmup_ratio: PAPER_TRAINING.warmupRatio,
  weight_decay: PAPER_TRAINING.weightDecay,
  optim: PAPER_TRAINING.optimizer,
  bf16: PAPER_TRAINING.bf16,
  deepspeed: DEEPSPEED_CONFIG,
  seed: PAPER_TRAINING.seed,
  logging_steps: 10,
  ...bestCheckpoint(stage),
  report_to: "none",
});

function llamaFactoryYaml(stage: TrainingStage, versionId: string, gpus: number): GeneratedFile {
  const path = `llamafactory/${stage.key}.yaml`;
  const mapping: { [key: string]: YamlValue } = {
    model_name_or_path: previousModel("saves/llamafactory", stage),
    stage: stage.kind,
    do_train: true,
    finetuning_type: "full",
    ...(stage.beta === undefined ? {} : { pref_beta: stage.beta, pref_loss: "sigmoid" }),
    dataset_dir: DATA_DIR,
    dataset: llamaFactoryName(stage.train),
    ...(stage.validation
      ? { eval_dataset: llamaFactoryName(stage.train, "validation"), per_device_eval_batch_size: batchPlan(stage, gpus).perDeviceBatchSize }
      : {}),
    template: "llama3",
    cutoff_len: stage.cutoffLen,
    preprocessing_num_workers: 16,
    output_dir: stageOutputDir("saves/llamafactory", stage),
    overwrite_output_dir: true,
    ...shared(stage, gpus),
  };
  return { path, content: yamlDocument(header(stage, versionId, gpus, "llamafactory", `llamafactory-cli train ${path}`), mapping) };
}

function trlYaml(stage: TrainingStage, versionId: string, format: ExportFormat, gpus: number, validationFraction: number): GeneratedFile {
  const path = `trl/${stage.key}.yaml`;
  const files = splitFiles({ name: stage.train }, FILE_EXTENSIONS[format]);
  const loader = format === "jsonl" ? "json" : "parquet";
  // DPO reads the conversational copy (message lists), so TRL applies the chat template SFT trained with.
  const trainFile = stage.kind === "dpo" ? files.conversational! : files.train;
  // TRL's CLI takes no separate evaluation file: stage 1 reads train + validation and holds the same share
  // out again (test_split_size); LLaMA-Factory evaluates on the exported validation file itself.
  const dataFiles = stage.validation && files.validation ? [files.train, files.validation] : trainFile;
  const mapping: { [key: string]: YamlValue } = {
    model_name_or_path: previousModel("saves/trl", stage),
    model_init_kwargs: { attention_dropout: PAPER_TRAINING.dropout, torch_dtype: "bfloat16" },
    datasets: [{ path: loader, data_files: dataFiles, split: "train" }],
    ...(stage.validation
      ? {
          test_split_size: validationFraction,
          dataset_test_split: "test",
          per_device_eval_batch_size: batchPlan(stage, gpus).perDeviceBatchSize,
        }
      : {}),
    ...(stage.beta === undefined
      ? { max_length: stage.cutoffLen, assistant_only_loss: true }
      : { beta: stage.beta, loss_type: "sigmoid", max_length: stage.cutoffLen }),
    output_dir: stageOutputDir("saves/trl", stage),
    ...shared(stage, gpus),
  };
  return { path, content: yamlDocument(header(stage, versionId, gpus, "trl", `trl ${stage.kind} --config ${path}`), mapping) };
}

/** dataset_info.json, one LLaMA-Factory and one TRL config per stage, and the DeepSpeed ZeRO-3 config. */
export function trainerConfigs(
  versionId: string,
  format: ExportFormat,
  gpus: number = PAPER_TRAINING.gpus,
  validationFraction = 0.1,
): GeneratedFile[] {
  return [
    datasetInfo(format),
    ...TRAINING_STAGES.map((stage) => llamaFactoryYaml(stage, versionId, gpus)),
    ...TRAINING_STAGES.map((stage) => trlYaml(stage, versionId, format, gpus, validationFraction)),
    { path: DEEPSPEED_CONFIG, content: `${JSON.stringify(ZERO3, null, 2)}\n` },
  ];
}
