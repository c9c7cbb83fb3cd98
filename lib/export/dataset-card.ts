import type { ExportManifest } from "./export-manifest";
import { TRAINING_STAGES } from "./training-stages";

const n = (value: number | null) => (value === null ? "all" : value.toLocaleString("en-US"));

/** The dataset card (README.md): what the export holds, where it came from, and how to train on it. */
export function datasetCard(manifest: Omit<ExportManifest, "files">): string {
  const { dataset, splits, sources } = manifest;
  const warnings = [
    ...(dataset.approved ? [] : [`> **Not approved** (state: ${dataset.state}). This export is a preview; do not train a release on it.`]),
    ...(manifest.simulatedBackend ? ["> **Simulated backend.** At least one source run used the bundled simulator, not real models."] : []),
  ];
  const totals = manifest.departments.reduce(
    (acc, d) => {
      const key = d.primary ?? "(unlabelled)";
      const entry = acc.get(key) ?? { common: 0, complex: 0 };
      entry.common += d.common;
      entry.complex += d.complex;
      acc.set(key, entry);
      return acc;
    },
    new Map<string, { common: number; complex: number }>(),
  );
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
    ...TRAINING_STAGES.map((s) => `| ${s.order} | ${s.title} | \`llamafactory-cli train llamafactory/${s.key}.yaml\` | \`trl ${s.kind} --config trl/${s.key}.yaml\` |`),
    "",
    `Shared: base ${manifest.training.shared.baseModel}, warm-up ${manifest.training.shared.warmupRatio}, ${manifest.training.shared.scheduler} schedule, weight decay ${manifest.training.shared.weightDecay}, dropout ${manifest.training.shared.dropout}, AdamW, bf16, DeepSpeed ZeRO-3 (\`deepspeed/ds_z3_config.json\`), ${manifest.training.shared.gpus} GPUs.`,
    "",
    "## Sources",
    "",
    ...sources.runs.map((r) => `- Run \`${r.id}\` (${r.name}) over corpus ${r.corpus}, seed \`${r.seed}\`, tier threshold ${r.tierThreshold}${r.simulated ? ", simulated backend" : ""}`),
    `- Prompts: ${sources.prompts.map((p) => `${p.key} v${p.version}`).join(", ") || "none recorded"}`,
    `- Models: ${sources.models.map((m) => `${m.role} ${m.model}`).join(", ") || "none recorded"}`,
    "",
    "Every file's sha256 and row count is in `manifest.json`.",
    "",
  ].join("\n");
}
