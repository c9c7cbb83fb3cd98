#!/usr/bin/env node
// FILE CHECK, NO TRAINING. A stand-in for one training stage of the FineMed chain, run by Slurm where a real cluster runs
// `llamafactory-cli train <yaml>` (the trainer command is configuration in the cluster profile).
// It checks the stage's split files against the export's manifest (every row parses, row counts,
// sizes and sha256 match; DPO chosen differs from rejected), then writes result.json into the
// stage's output directory. On any mismatch it prints why on stderr and exits 1, which fails the
// Slurm job and, through --dependency=afterok, stops the rest of the chain.
//
//   node stand-in-stage.mjs --stage 2_sft_stage2 --export EXPORT_DIR --out OUTPUT_DIR
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const STAGE_SPLITS = {
  "1_sft_stage1": "sft_stage1",
  "2_sft_stage2": "sft_stage2",
  "3_sft_stage3": "sft_stage3",
  "4_o1_sft": "o1_sft",
  "5_dpo": "dpo",
  "6_ttt_eval": "ttt_index",
  // The baseline evaluation reads no split: there is nothing of the export to check, and no model.
  "7_baseline_eval": null,
};

const LABEL = "file check, no training";

class StageFailure extends Error {}

const STARTED = performance.now();

function checkRow(split, row, where) {
  if (row === null || typeof row !== "object") throw new StageFailure(`${where}: not a JSON object`);
  if (split === "dpo" && Array.isArray(row.chosen)) {
    // TRL's conversational copy of the DPO rows: one user turn, one assistant turn each side.
    const turn = (messages, role) =>
      Array.isArray(messages) &&
      messages.length === 1 &&
      messages[0]?.role === role &&
      typeof messages[0].content === "string" &&
      messages[0].content.trim() !== "";
    if (!turn(row.prompt, "user") || !turn(row.chosen, "assistant") || !turn(row.rejected, "assistant"))
      throw new StageFailure(`${where}: not a conversational DPO row`);
    if (row.chosen[0].content.trim() === row.rejected[0].content.trim())
      throw new StageFailure(`${where}: DPO row ${row.id} has chosen equal to rejected`);
  } else if (split === "dpo") {
    for (const field of ["prompt", "chosen", "rejected"]) {
      if (typeof row[field] !== "string" || row[field].trim() === "") throw new StageFailure(`${where}: DPO row without ${field}`);
    }
    if (row.chosen.trim() === row.rejected.trim()) throw new StageFailure(`${where}: DPO row ${row.id} has chosen equal to rejected`);
  } else if (split === "ttt_index") {
    if (typeof row.instruction !== "string" || typeof row.response !== "string")
      throw new StageFailure(`${where}: TTT row without instruction and response`);
  } else {
    const roles = Array.isArray(row.messages) ? row.messages.map((m) => m?.role) : [];
    if (roles.length < 2 || roles.at(-1) !== "assistant" || !row.messages.every((m) => typeof m.content === "string" && m.content !== "")) {
      throw new StageFailure(`${where}: not a user/assistant conversation`);
    }
  }
}

// The TTT index may come with its embeddings (data/ttt_index.embeddings.npy, float32, one row per
// index row): the header's shape must match the manifest, and the bytes its sha256.
async function checkEmbeddings(path, entry) {
  const bytes = await readFile(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (bytes.subarray(0, 6).toString("latin1") !== "\x93NUMPY") throw new StageFailure(`${entry.path}: not a .npy file`);
  // .npy: magic, major and minor version bytes, header length (uint16 in v1, uint32 from v2), header dict.
  const [lengthBytes, start] = bytes[6] === 1 ? [bytes.readUInt16LE(8), 10] : [bytes.readUInt32LE(8), 12];
  const header = bytes.subarray(start, start + lengthBytes).toString("latin1");
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!/'descr':\s*'<f4'/.test(header) || !shape)
    throw new StageFailure(`${entry.path}: expected a float32 matrix, header ${header.trim()}`);
  const [rows, dimensions] = [Number(shape[1]), Number(shape[2])];
  if (rows !== entry.rows) throw new StageFailure(`${entry.path}: ${rows} vectors, the manifest says ${entry.rows}`);
  if (bytes.length !== entry.bytes || sha256 !== entry.sha256)
    throw new StageFailure(`${entry.path}: size or sha256 differs from the manifest`);
  return { path: entry.path, rows, sha256, dimensions, embeddings: true };
}

async function checkFile(exportDir, split, entry) {
  const path = join(exportDir, entry.path);
  const info = await stat(path).catch(() => null);
  if (!info) throw new StageFailure(`${entry.path} is missing`);
  if (entry.path.endsWith(".npy")) return checkEmbeddings(path, entry);
  if (!entry.path.endsWith(".jsonl")) throw new StageFailure(`${entry.path}: the stand-in reads JSONL exports only`);
  const hash = createHash("sha256");
  const stream = createReadStream(path);
  stream.on("data", (chunk) => hash.update(chunk));
  let rows = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (line === "") continue;
    rows += 1;
    let row;
    try {
      row = JSON.parse(line);
    } catch {
      throw new StageFailure(`${entry.path} line ${rows}: not JSON`);
    }
    checkRow(split, row, `${entry.path} line ${rows}`);
  }
  const sha256 = hash.digest("hex");
  if (info.size !== entry.bytes) throw new StageFailure(`${entry.path}: ${info.size} bytes, the manifest says ${entry.bytes}`);
  if (rows !== entry.rows) throw new StageFailure(`${entry.path}: ${rows} rows, the manifest says ${entry.rows}`);
  if (sha256 !== entry.sha256) throw new StageFailure(`${entry.path}: sha256 ${sha256} differs from the manifest's ${entry.sha256}`);
  // The conversational DPO file repeats the DPO rows in another format: not counted twice.
  return { path: entry.path, rows, sha256, copy: entry.path.includes("_conversational.") };
}

async function main() {
  const { values } = parseArgs({ options: { stage: { type: "string" }, export: { type: "string" }, out: { type: "string" } } });
  const split = STAGE_SPLITS[values.stage ?? ""];
  if (split === undefined || !values.export || !values.out)
    throw new StageFailure("usage: stand-in-stage.mjs --stage KEY --export DIR --out DIR");
  const manifest = JSON.parse(await readFile(join(values.export, "manifest.json"), "utf8"));
  console.log(`stage ${values.stage}: stand-in (${LABEL}): nothing is trained or evaluated`);
  if (split === null) {
    const result = {
      stage: values.stage,
      split: null,
      versionId: manifest.dataset.versionId,
      rowsSeen: 0,
      files: [],
      standIn: true,
      label: LABEL,
      finishedAt: new Date().toISOString(),
    };
    await mkdir(values.out, { recursive: true });
    await writeFile(join(values.out, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`stage ${values.stage}: no split to check (${LABEL}); wrote ${join(values.out, "result.json")}`);
    return;
  }
  const planned = manifest.splits.find((s) => s.name === split);
  if (!planned) throw new StageFailure(`the manifest has no ${split} split`);
  console.log(
    `stage ${values.stage}: checking split ${split} (${planned.files.join(", ")}) of dataset version ${manifest.dataset.versionId}`,
  );
  const files = [];
  for (const path of planned.files) {
    const entry = manifest.files.find((f) => f.path === path);
    if (!entry) throw new StageFailure(`${path} is not listed in the manifest's files`);
    const checked = await checkFile(values.export, split, entry);
    console.log(`  ${checked.path}: ${checked.rows} rows, sha256 ${checked.sha256.slice(0, 12)}… matches`);
    files.push(checked);
  }
  const rowsSeen = files.filter((f) => !f.embeddings && !f.copy).reduce((sum, f) => sum + f.rows, 0);
  if (rowsSeen !== planned.rows) throw new StageFailure(`split ${split}: ${rowsSeen} rows, the manifest says ${planned.rows}`);
  const checksum = createHash("sha256")
    .update(files.map((f) => `${f.path}:${f.sha256}`).join("\n"))
    .digest("hex");
  const seconds = Number(((performance.now() - STARTED) / 1000).toFixed(3));
  const result = {
    stage: values.stage,
    split,
    versionId: manifest.dataset.versionId,
    rowsSeen,
    checksum,
    files,
    standIn: true,
    label: LABEL,
    seconds,
    finishedAt: new Date().toISOString(),
  };
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`stage ${values.stage}: ${rowsSeen} rows valid (${LABEL}); wrote ${join(values.out, "result.json")}`);
}

main().catch((error) => {
  console.error(`stand-in stage (${LABEL}) failed: ${error instanceof StageFailure ? error.message : (error.stack ?? String(error))}`);
  process.exit(1);
});
