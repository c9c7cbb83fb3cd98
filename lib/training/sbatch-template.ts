import { TRAINING_STAGES } from "../export/training-stages";
import { isEvaluationStage, type ChainStage } from "./chain-stages";
import { BASELINE_COMMAND, TTT_COMMAND, type ClusterProfile } from "./cluster-profile";
import { TrainingInputError } from "./training-errors";
import { shellQuote } from "./shell-quote";

/** Every {{name}} a template or a trainer command may use. */
export const TEMPLATE_PLACEHOLDERS = [
  "sbatchOptions",
  "setupLines",
  "environment",
  "trainerCommand",
  "jobName",
  "chainId",
  "versionId",
  "stage",
  "stageOrder",
  "stageTitle",
  "split",
  "config",
  "trlConfig",
  "exportDir",
  "outputDir",
  "previousOutputDir",
  "stdout",
  "stderr",
  "partition",
  "account",
  "gpus",
  "cpus",
  "time",
  "dependency",
  "node",
  "studioDir",
  "python",
  "benchmark",
  "trainedModel",
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export function templatePlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/**
 * The default sbatch script of every stage; a profile may replace it per stage. Scheduler options
 * come first (sbatch stops reading #SBATCH lines at the first command), then the setup lines
 * (containers, modules), the environment and the trainer command, run from the export directory.
 */
export const DEFAULT_SBATCH_TEMPLATE = `#!/bin/bash
{{sbatchOptions}}
# FineMed training chain {{chainId}}, dataset version {{versionId}}
# Stage {{stageOrder}}: {{stageTitle}} (split {{split}})
set -euo pipefail
mkdir -p {{outputDir}}
cd {{exportDir}}
{{setupLines}}
{{environment}}
{{trainerCommand}}
`;

export interface StageJobContext {
  chainId: string;
  versionId: string;
  stage: ChainStage;
  exportDir: string;
  outputDir: string;
  previousOutputDir: string | null;
  stdoutPath: string;
  stderrPath: string;
  /** The Slurm job id this stage waits for (afterok), or null for the first stage. */
  afterJobId: string | null;
  /** Absolute path of the Node binary and of the studio checkout, for the stand-in command. */
  node: string;
  studioDir: string;
}

/** The scheduler options of one stage's job, as sbatch flags (also sent to slurmrestd as fields). */
export function sbatchOptions(profile: ClusterProfile, context: StageJobContext): string[] {
  return [
    `--job-name=finemed-${context.stage.key}`,
    ...(profile.partition ? [`--partition=${profile.partition}`] : []),
    ...(profile.account ? [`--account=${profile.account}`] : []),
    ...(profile.gpus > 0 ? [`--gres=gpu:${profile.gpus}`] : []),
    "--nodes=1",
    "--ntasks=1",
    `--cpus-per-task=${profile.cpusPerTask}`,
    `--time=${profile.timeLimit}`,
    `--output=${context.stdoutPath}`,
    `--error=${context.stderrPath}`,
    `--chdir=${context.exportDir}`,
    // The chain: this stage only starts if the previous one completed with exit 0; if that one
    // fails the dependency can never be met and Slurm cancels this job (and so the rest).
    ...(context.afterJobId ? [`--dependency=afterok:${context.afterJobId}`, "--kill-on-invalid-dep=yes"] : []),
  ];
}

function fill(text: string, values: Record<TemplatePlaceholder, string>, where: string): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => {
    if (!(name in values)) throw new TrainingInputError(`${where}: unknown placeholder {{${name}}}`);
    return values[name as TemplatePlaceholder];
  });
}

/**
 * A stage's command: its own entry, else for the evaluations the shipped TTT job / baseline (never the
 * trainer command, which would run a trainer with no config), else the profile's trainer command.
 */
export function trainerCommandOf(profile: ClusterProfile, stage: ChainStage): string {
  const own = profile.trainerCommands[stage.key];
  if (own) return own;
  if (isEvaluationStage(stage)) return stage.kind === "ttt_eval" ? TTT_COMMAND : BASELINE_COMMAND;
  return profile.trainerCommand;
}

/** The evaluated model: the profile's, else where the DPO stage's LLaMA-Factory config saves it in the export. */
export function trainedModelOf(profile: ClusterProfile, exportDir: string): string {
  return profile.trainedModel ?? `${exportDir}/saves/llamafactory/${TRAINING_STAGES.at(-1)!.key}`;
}

/** Why a stage cannot be rendered for this profile, or null (the evaluations need a benchmark). */
export function stageProblem(profile: ClusterProfile, stage: ChainStage): string | null {
  const uses =
    templatePlaceholders(trainerCommandOf(profile, stage)).includes("benchmark") ||
    templatePlaceholders(stageTemplateOf(profile, stage)).includes("benchmark");
  if (uses && profile.benchmark === null)
    return `${stage.title} needs a benchmark file: set "benchmark" in cluster profile ${profile.name} (JSONL, see training/README.md)`;
  return null;
}

export function stageTemplateOf(profile: ClusterProfile, stage: ChainStage): string {
  return profile.stageTemplates[stage.key] ?? DEFAULT_SBATCH_TEMPLATE;
}

/** Renders one stage's sbatch script: the profile's template with the stage, paths and trainer command filled in. */
export function renderStageScript(profile: ClusterProfile, context: StageJobContext): string {
  const options = sbatchOptions(profile, context);
  const words: Omit<Record<TemplatePlaceholder, string>, "sbatchOptions" | "setupLines" | "environment" | "trainerCommand"> = {
    jobName: `finemed-${context.stage.key}`,
    chainId: context.chainId,
    versionId: context.versionId,
    stage: context.stage.key,
    stageOrder: String(context.stage.order),
    stageTitle: context.stage.title,
    split: context.stage.split ?? "",
    config: shellQuote(context.stage.llamaFactoryConfig ?? ""),
    trlConfig: shellQuote(context.stage.trlConfig ?? ""),
    exportDir: shellQuote(context.exportDir),
    outputDir: shellQuote(context.outputDir),
    previousOutputDir: shellQuote(context.previousOutputDir ?? ""),
    stdout: shellQuote(context.stdoutPath),
    stderr: shellQuote(context.stderrPath),
    partition: profile.partition ?? "",
    account: profile.account ?? "",
    gpus: String(profile.gpus),
    cpus: String(profile.cpusPerTask),
    time: profile.timeLimit,
    dependency: context.afterJobId ? `afterok:${context.afterJobId}` : "",
    node: shellQuote(context.node),
    studioDir: shellQuote(context.studioDir),
    python: profile.python,
    // Through the environment, so a profile without one fails in the job with the reason, not an empty argument.
    benchmark: '"${FINEMED_BENCHMARK:?set benchmark in the cluster profile}"',
    trainedModel: shellQuote(trainedModelOf(profile, context.exportDir)),
  };
  const environment = {
    FINEMED_TRAINING_CHAIN: context.chainId,
    FINEMED_DATASET_VERSION: context.versionId,
    FINEMED_STAGE: context.stage.key,
    FINEMED_EXPORT_DIR: context.exportDir,
    FINEMED_STAGE_OUTPUT: context.outputDir,
    ...(context.previousOutputDir ? { FINEMED_PREVIOUS_OUTPUT: context.previousOutputDir } : {}),
    ...(profile.benchmark ? { FINEMED_BENCHMARK: profile.benchmark } : {}),
    ...profile.env,
  };
  const base = { ...words, sbatchOptions: "", setupLines: "", environment: "", trainerCommand: "" };
  const values: Record<TemplatePlaceholder, string> = {
    ...words,
    sbatchOptions: options.map((option) => `#SBATCH ${option}`).join("\n"),
    setupLines: profile.setupLines.map((line) => fill(line, base, "setup line")).join("\n"),
    environment: Object.entries(environment)
      .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
      .join("\n"),
    trainerCommand: fill(trainerCommandOf(profile, context.stage), base, `trainer command of ${context.stage.key}`),
  };
  return fill(stageTemplateOf(profile, context.stage), values, `template of ${context.stage.key}`);
}
