import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { startProgress } from "../progress";
import { noteCliAudit, requireCliRole } from "../cli-actor";
import { connectDatabase } from "../../lib/db/database";
import { DatasetError } from "../../lib/datasets";
import {
  DPO_OVERLAPS,
  EXPORT_FORMATS,
  ExportError,
  exportDataset,
  PAPER_SIZES,
  withExportLock,
  SPLIT_SIZINGS,
  type ExportOptionsInput,
} from "../../lib/export";

const usage = `Usage: finemed export --dataset VERSION_ID --out DIR [--format jsonl|parquet] [--json]
                      [--seed S] [--dpo-overlap shared|disjoint] [--validation-fraction F] [--gpus N]
                      [--sizing absolute|proportional] [--release-layout]
                      [--sft-stage1 N] [--sft-stage2 N] [--sft-stage3 N] [--o1-sft N] [--dpo N] [--ttt N]
                      [--allow-unapproved] [--allow-short-splits]

Exports an approved dataset version as the FineMed training splits (DESIGN.md §1) into DIR, which must
not exist or be empty: data/ (SFT stage 1 train + validation, stage 2 Internal Medicine, stage 3
Endocrinology, o1 SFT, DPO, TTT index), data/dataset_info.json and llamafactory/*.yaml for
LLaMA-Factory, trl/*.yaml for TRL, deepspeed/ds_z3_config.json, training/ (the TTT job and the
baseline evaluation, run on the cluster), a dataset card README.md and
manifest.json (hash, counts, seeds, sources, sha256 per file). The same version and options always
give byte-identical files. Files are written to a temporary directory renamed into place at the end.
While another export of the same version runs (the studio's Export, finemed train, another finemed
export), this one waits for it and says so on stderr.

Options:
  --dataset ID            the dataset version to export
  --out DIR               the target directory (must not exist, or be empty)
  --format F              jsonl (default) or parquet
  --seed S                seed of every split's sample (default finemed-export)
  --dpo-overlap MODE      shared (default): o1 SFT and DPO are drawn independently and may share
                          instructions (paper: 17,000 for SFT, all 33,000 for DPO); disjoint: DPO only
                          uses long-form instructions o1 SFT did not take (paper: half and half)
  --validation-fraction F share of SFT stage 1 held out for validation (default 0.1)
  --sizing MODE           absolute (default): each split as asked, capped by its pool; proportional:
                          every asked size scaled by one factor so each pool holds its split
  --release-layout        also write FineMed's release layout: release/<primary department>/,
                          release/Medicine (all)/ and release/SFTo1Data/ (the thinking set), JSONL
  --gpus N                GPUs per training job (default 4, the paper's): the configs' gradient
                          accumulation makes the paper's global batch (256 / 128 / 64) on N GPUs
  --sft-stage1 N  --sft-stage2 N  --sft-stage3 N  --o1-sft N  --dpo N
                          split sizes (default the paper's: ${PAPER_SIZES.sftStage1}, ${PAPER_SIZES.sftStage2}, ${PAPER_SIZES.sftStage3}, ${PAPER_SIZES.o1Sft}, ${PAPER_SIZES.dpo});
                          capped by what the version holds (the manifest says so)
  --ttt N                 TTT index size (default: every long-form sample)
  --allow-unapproved      export a version that is not approved, as a marked preview
  --allow-short-splits    export although a split is empty or short (fewer rows than asked, or a
                          department stage under one global batch); without it such an export is
                          refused with the list, and with it the card and manifest name those splits
  --json                  print one JSON document (the manifest, the directory and the timing)

Exit codes: 0 done, 1 refused or failed (not approved, short splits not acknowledged, target not
empty, unknown version), 2 usage.`;

const size = z.coerce.number().int().min(0).optional();

const Arguments = z.object({
  dataset: z.uuid({ error: "--dataset must be a dataset version's id" }),
  out: z.string().min(1, { error: "--out DIR is required" }),
  format: z.enum(EXPORT_FORMATS).default("jsonl"),
  seed: z.string().min(1).optional(),
  "dpo-overlap": z.enum(DPO_OVERLAPS).optional(),
  "validation-fraction": z.coerce.number().min(0).max(0.5).optional(),
  gpus: z.coerce.number().int().min(1).max(64).optional(),
  sizing: z.enum(SPLIT_SIZINGS).optional(),
  "release-layout": z.boolean().default(false),
  "sft-stage1": size,
  "sft-stage2": size,
  "sft-stage3": size,
  "o1-sft": size,
  dpo: size,
  ttt: size,
  "allow-unapproved": z.boolean().default(false),
  "allow-short-splits": z.boolean().default(false),
  json: z.boolean().default(false),
});

export const exportCommand: Command = {
  name: "export",
  summary: "export a dataset version's training splits, trainer configs and manifest",
  usage,
  async run(argv) {
    const args = parseCommandLine(
      argv,
      {
        dataset: { type: "string" },
        out: { type: "string" },
        format: { type: "string" },
        seed: { type: "string" },
        "dpo-overlap": { type: "string" },
        "validation-fraction": { type: "string" },
        gpus: { type: "string" },
        sizing: { type: "string" },
        "release-layout": { type: "boolean" },
        "sft-stage1": { type: "string" },
        "sft-stage2": { type: "string" },
        "sft-stage3": { type: "string" },
        "o1-sft": { type: "string" },
        dpo: { type: "string" },
        ttt: { type: "string" },
        "allow-unapproved": { type: "boolean" },
        "allow-short-splits": { type: "boolean" },
        json: { type: "boolean" },
      },
      Arguments,
    );
    const options: ExportOptionsInput = {
      format: args.format,
      seed: args.seed,
      dpoOverlap: args["dpo-overlap"],
      validationFraction: args["validation-fraction"],
      gpus: args.gpus,
      sizing: args.sizing,
      releaseLayout: args["release-layout"],
      allowUnapproved: args["allow-unapproved"],
      shortSplitGate: true,
      acknowledgeShortSplits: args["allow-short-splits"],
      sizes: {
        sftStage1: args["sft-stage1"],
        sftStage2: args["sft-stage2"],
        sftStage3: args["sft-stage3"],
        o1Sft: args["o1-sft"],
        dpo: args.dpo,
        ttt: args.ttt ?? null,
      },
    };
    // Writing a version's training files is the export the audit log records; curators and above.
    await requireCliRole("curator");
    noteCliAudit({ type: "dataset", id: args.dataset });
    const db = await connectDatabase();
    const progress = startProgress("export", 1, !args.json);
    const started = performance.now();
    try {
      // The studio's Export, `finemed train` or another `finemed export` of this version may be running: waited for.
      const result = await withExportLock(
        db,
        args.dataset,
        () =>
          exportDataset(db, args.dataset, args.out, options, (event) =>
            progress.update(event.total === 0 ? 1 : event.rows / event.total, `${event.split} ${event.rows}/${event.total}`),
          ),
        {
          onWait: (holder) =>
            process.stderr.write(`another export of dataset version ${args.dataset} is running (${holder}); waiting for it\n`),
        },
      );
      progress.stop();
      const { shortSplits } = result.manifest;
      noteCliAudit(null, {
        outDir: result.outDir,
        rows: result.rows,
        format: result.manifest.options.format,
        shortSplitsAcknowledged: shortSplits.splits.map((s) => s.split),
      });
      const seconds = (performance.now() - started) / 1000;
      if (args.json) printJson({ outDir: result.outDir, rows: result.rows, seconds, manifest: result.manifest });
      else {
        process.stdout.write(
          `exported dataset version ${args.dataset} to ${result.outDir}: ${result.rows} rows in ${seconds.toFixed(1)} s\n`,
        );
        for (const short of shortSplits.splits) process.stdout.write(`  acknowledged: ${short.reason}\n`);
        for (const split of result.manifest.splits) {
          process.stdout.write(
            `  ${split.name.padEnd(11)} ${String(split.rows).padStart(8)}${split.smallerThanAsked ? `  (asked ${split.requested}, only ${split.available} available)` : ""}\n`,
          );
        }
      }
      return 0;
    } catch (error) {
      if (error instanceof DatasetError || error instanceof ExportError) throw new CommandError(error.message, 1);
      throw error;
    } finally {
      progress.stop();
      await db.close();
    }
  },
};
