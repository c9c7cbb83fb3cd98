import type { ExportManifest } from "./export-manifest";
import { batchPlan, TRAINING_STAGES } from "./training-stages";

const n = (value: number | null) => (value === null ? "all" : value.toLocaleString("en-US"));

function shortSplitWarning(short: ExportManifest["shortSplits"]): string[] {
  if (short.splits.length === 0) return [];
  const names = short.splits.map((s) => `${s.title} (${s.kind}: ${n(s.rows)} rows${s.asked === null ? "" : ` of ${n(s.asked)} asked`})`);
  return [
    `> **Short or empty splits: ${names.join("; ")}.** ${short.acknowledged ? "The exporter acknowledged them before exporting." : "Nobody acknowledged them: this export was made without the short-split check (by the training hand-off or a library call)."}`,
    ...short.splits.map((s) => `> - ${s.reason}.`),
  ];
}

/** The dataset card (README.md): what the export holds, where it came from, and how to train on it. */
export function datasetCard(manifest: Omit<ExportManifest, "files">): string {
  const { dataset, splits, sources } = manifest;
  const warnings = [
    ...(dataset.approved ? [] : [`> **Not approved** (state: ${dataset.state}). This export is a preview; do not train a release on it.`]),
    ...shortSplitWarning(manifest.shortSplits),
    ...(manifest.simulatedBackend ? ["> **Simulated backend.** At least one source run used the bundled simulator, not real models."] : []),
  ];
  const totals = manifest.departments.reduce((acc, d) => {
    const key = d.primary ?? "(unlabelled)";
    const entry = acc.get(key) ?? { common: 0, complex: 0 };
    entry.common += d.common;
    entry.complex += d.complex;
    acc.set(key, entry);
    return acc;
  }, new Map<string, { common: number; complex: number }>());
  return [
    `# ${dataset.name}`,
    "",
    `FineMed training data from dataset version \`${dataset.versionId}\`, made with the FineMed Curation Studio after the method of *FineMedLM-o1*.`,
    "",
    ...warnings,
    ...(warnings.length > 0 ? [""] : []),
    `- Content hash: \`${dataset.contentHash}\` (${dataset.members.toLocaleString("en-US")} members)`,
    `- State: ${dataset.state}${dataset.approvedBy ? `, approved by ${dataset.approvedBy} at ${dataset.approvedAt}` : ""}`,
    `- Created by ${dataset.createdBy} at ${dataset.createdAt}`,
    `- Format: ${manifest.options.format}; seed \`${manifest.options.seed}\`; o1 SFT / DPO overlap: ${manifest.options.dpoOverlap}`,
    `- Split sizes: ${manifest.options.sizing === "proportional" ? "proportional: the asked sizes (the paper's by default) scaled by one factor so every pool holds its split, keeping the paper's proportions" : "absolute: the asked sizes (the paper's by default), each capped by what the version holds"}${manifest.options.dpoOverlap === "disjoint" ? "; disjoint o1 SFT takes at most half of the long-form set when it is smaller than both asks, DPO the rest" : ""}`,
    "",
    "## Splits",
    "",
    "| split | rows | asked | available | files |",
    "|---|---:|---:|---:|---|",
    ...splits.map(
      (s) =>
        `| ${s.name}${s.smallerThanAsked ? " (smaller than asked)" : ""} | ${n(s.rows)}${s.validationRows > 0 ? ` (${n(s.trainRows)} train + ${n(s.validationRows)} validation)` : ""} | ${n(s.requested)} | ${n(s.available)} | ${s.files.map((f) => `\`${f}\``).join(", ")} |`,
    ),
    "",
    ...splits.map((s) => `- **${s.name}**: ${s.description}.`),
    `- Overlaps: ${manifest.overlaps.sftStage1TrainValidation}; stages 2 and 3 ${manifest.overlaps.sftStages2And3.replace(/^each /, "are each ")}; o1 SFT and DPO ${manifest.overlaps.o1SftAndDpo}.`,
    `- TTT index: embeddings are ${manifest.ttt.embeddings}${manifest.ttt.embedder ? ` (${manifest.ttt.embedder}, ${manifest.ttt.dimensions}-d)` : ""}; ${manifest.ttt.note}.`,
    "",
    ...(manifest.options.releaseLayout
      ? [
          "FineMed's release layout is beside the training splits: `release/<primary department>/train.jsonl` (that department's SFT rows), `release/Medicine (all)/train.jsonl` (every SFT row) and `release/SFTo1Data/train.jsonl` (the long-form reasoning set), in the messages format.",
          "",
        ]
      : []),
    "## Departments (label in force at freeze time)",
    "",
    "| primary department | common | complex |",
    "|---|---:|---:|",
    ...[...totals.entries()].map(([name, c]) => `| ${name} | ${n(c.common)} | ${n(c.complex)} |`),
    "",
    "| primary / secondary | common | complex |",
    "|---|---:|---:|",
    ...manifest.departments.map((d) => `| ${d.primary ?? "(unlabelled)"} / ${d.secondary ?? "None"} | ${n(d.common)} | ${n(d.complex)} |`),
    "",
    "## Training (paper §3)",
    "",
    "Run the stages in order from this directory; each starts from the previous stage's weights.",
    "",
    "| # | stage | LLaMA-Factory | TRL |",
    "|---:|---|---|---|",
    ...TRAINING_STAGES.map(
      (s) =>
        `| ${s.order} | ${s.title} | \`llamafactory-cli train llamafactory/${s.key}.yaml\` | \`trl ${s.kind} --config trl/${s.key}.yaml\` |`,
    ),
    "",
    `Shared: base ${manifest.training.shared.baseModel}, warm-up ${manifest.training.shared.warmupRatio}, ${manifest.training.shared.scheduler} schedule, weight decay ${manifest.training.shared.weightDecay}, dropout ${manifest.training.shared.dropout}, AdamW, bf16, DeepSpeed ZeRO-3 (\`deepspeed/ds_z3_config.json\`). The paper trained on ${manifest.training.shared.gpus} GPUs; these configs are for **${manifest.options.gpus} GPU(s)**.`,
    "",
    "| # | global batch (paper) | per GPU | accumulation | GPUs |",
    "|---:|---:|---:|---:|---:|",
    ...TRAINING_STAGES.map((s) => {
      const plan = batchPlan(s, manifest.options.gpus);
      return `| ${s.order} | ${plan.globalBatchSize} | ${plan.perDeviceBatchSize} | ${plan.gradientAccumulation} | ${plan.gpus} |`;
    }),
    "",
    "- Dropout 0.1: TRL configs pass `model_init_kwargs.attention_dropout`; for LLaMA-Factory run `python3 training/set_dropout.py --model MODEL_DIR` on the base model folder first.",
    "- SFT stage 1 keeps the best checkpoint by validation loss (`load_best_model_at_end`, `metric_for_best_model: eval_loss`, evaluated and saved every epoch); later stages keep the last epoch's.",
    "- TRL: SFT trains on the assistant turns only (`assistant_only_loss`); DPO reads `data/dpo_conversational.*` (message lists) so the chat template applies; stage 1 holds out the same share again with `test_split_size`.",
    "",
    "## TTT evaluation (paper §3.3)",
    "",
    "`training/ttt.py` answers a benchmark (JSONL: question, optional choices, optional answer; see `training/README.md`) one question at a time: it embeds the question with the TTT index's embedder, retrieves the nearest long-form sample, fine-tunes on it with the o1 settings, generates, and restores the weights. `training/evaluate.py` is the baseline without TTT (3-shot, 3 repeats, mean).",
    "",
    "```",
    "python3 training/ttt.py --export . --benchmark mmlu_pro_health.jsonl --model saves/llamafactory/5_dpo --out eval/ttt",
    "python3 training/evaluate.py --benchmark mmlu_pro_health.jsonl --model saves/llamafactory/5_dpo --out eval/baseline",
    "```",
    "",
    "## Sources",
    "",
    ...sources.runs.map(
      (r) =>
        `- Run \`${r.id}\` (${r.name}) over corpus ${r.corpus}, seed \`${r.seed}\`, tier threshold ${r.tierThreshold}${r.simulated ? ", simulated backend" : ""}`,
    ),
    `- Prompts: ${sources.prompts.map((p) => `${p.key} v${p.version}`).join(", ") || "none recorded"}`,
    `- Models: ${sources.models.map((m) => `${m.role} ${m.model}`).join(", ") || "none recorded"}`,
    "",
    "Every file's sha256 and row count is in `manifest.json`.",
    "",
  ].join("\n");
}
