import type { ExportFormat } from "./export-options";
import { DATA_DIR, llamaFactoryName, splitFiles } from "./split-files";
import { FILE_EXTENSIONS } from "./split-writer";
import { gradientAccumulation, PAPER_TRAINING, previousModel, stageOutputDir, TRAINING_STAGES, type TrainingStage } from "./training-stages";
import { yamlDocument, type YamlValue } from "./yaml-text";

export interface GeneratedFile {
  path: string;
  content: string;
}

const DEEPSPEED_CONFIG = "deepspeed/ds_z3_config.json";
const DROPOUT_NOTE = `dropout ${PAPER_TRAINING.dropout} (paper): neither trainer has a flag for full fine-tuning; set attention_dropout in the base model's config.json`;

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
    const base = stage.kind === "dpo" ? { ranking: true, columns: { prompt: "prompt", chosen: "chosen", rejected: "rejected" } } : MESSAGES_FORMAT;
    entries[llamaFactoryName(stage.train)] = { file_name: relative(files.train), ...base };
    if (files.validation) entries[llamaFactoryName(stage.train, "validation")] = { file_name: relative(files.validation), ...base };
  }
  return { path: `${DATA_DIR}/dataset_info.json`, content: `${JSON.stringify(entries, null, 2)}\n` };
}

function header(stage: TrainingStage, versionId: string, command: string): string[] {
  return [
    `FineMed dataset version ${versionId}: stage ${stage.order} of ${TRAINING_STAGES.length}, ${stage.title}.`,
    `Hyperparameters from the paper (DESIGN.md §1): lr ${stage.learningRate.toExponential()}, ${stage.epochs} epoch(s), global batch ${stage.globalBatchSize} = ${stage.perDeviceBatchSize} per GPU x ${gradientAccumulation(stage)} accumulation x ${PAPER_TRAINING.gpus} GPUs, seq len ${stage.cutoffLen}${stage.beta === undefined ? "" : `, beta ${stage.beta}`}.`,
    DROPOUT_NOTE,
    `Run from the export directory: ${command}`,
  ];
}

const shared = (stage: TrainingStage): { [key: string]: YamlValue } => ({
  per_device_train_batch_size: stage.perDeviceBatchSize,
  gradient_accumulation_steps: gradientAccumulation(stage),
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
  save_strategy: "epoch",
  report_to: "none",
});

function llamaFactoryYaml(stage: TrainingStage, versionId: string): GeneratedFile {
  const path = `llamafactory/${stage.key}.yaml`;
  const mapping: { [key: string]: YamlValue } = {
    model_name_or_path: previousModel("saves/llamafactory", stage),
    stage: stage.kind,
    do_train: true,
    finetuning_type: "full",
    ...(stage.beta === undefined ? {} : { pref_beta: stage.beta, pref_loss: "sigmoid" }),
    dataset_dir: DATA_DIR,
    dataset: llamaFactoryName(stage.train),
    ...(stage.validation ? { eval_dataset: llamaFactoryName(stage.train, "validation"), eval_strategy: "epoch", per_device_eval_batch_size: stage.perDeviceBatchSize } : {}),
    template: "llama3",
    cutoff_len: stage.cutoffLen,
    preprocessing_num_workers: 16,
    output_dir: stageOutputDir("saves/llamafactory", stage),
    overwrite_output_dir: true,
    ...shared(stage),
  };
  return { path, content: yamlDocument(header(stage, versionId, `llamafactory-cli train ${path}`), mapping) };
}

function trlYaml(stage: TrainingStage, versionId: string, format: ExportFormat): GeneratedFile {
  const path = `trl/${stage.key}.yaml`;
  const files = splitFiles({ name: stage.train }, FILE_EXTENSIONS[format]);
  const loader = format === "jsonl" ? "json" : "parquet";
  const mapping: { [key: string]: YamlValue } = {
    model_name_or_path: previousModel("saves/trl", stage),
    datasets: [{ path: loader, data_files: files.train, split: "train" }],
    ...(stage.beta === undefined ? { max_length: stage.cutoffLen } : { beta: stage.beta, loss_type: "sigmoid", max_length: stage.cutoffLen }),
    output_dir: stageOutputDir("saves/trl", stage),
    ...shared(stage),
  };
  const command = `trl ${stage.kind} --config ${path}${stage.validation ? `  (validation file: ${files.validation})` : ""}`;
  return { path, content: yamlDocument(header(stage, versionId, command), mapping) };
}

/** dataset_info.json, one LLaMA-Factory and one TRL config per stage, and the DeepSpeed ZeRO-3 config. */
export function trainerConfigs(versionId: string, format: ExportFormat): GeneratedFile[] {
  return [
    datasetInfo(format),
    ...TRAINING_STAGES.map((stage) => llamaFactoryYaml(stage, versionId)),
    ...TRAINING_STAGES.map((stage) => trlYaml(stage, versionId, format)),
    { path: DEEPSPEED_CONFIG, content: `${JSON.stringify(ZERO3, null, 2)}\n` },
  ];
}
