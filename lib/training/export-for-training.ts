import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Database } from "../db/database";
import { DatasetStateError } from "../datasets/dataset-errors";
import { getVersion, type DatasetVersionDetail } from "../datasets/read-versions";
import { acknowledgeShortSplits } from "../export/acknowledge-short-splits";
import { exportDataset } from "../export/export-dataset";
import { withExportLock, type ExportLockOptions } from "../export/export-lock";
import { exportDir } from "../export/export-store";
import { recordedShortSplits, shortSplitsUnanswered } from "../export/recorded-short-splits";
import type { ExportManifest } from "../export/export-manifest";
import { CHAIN_STAGES } from "./chain-stages";
import { TrainingError } from "./training-errors";
import { isExportOf, trainingManifestSchema } from "./training-manifest";
import { requireShortSplitAnswer, trainingShortSplits } from "./training-short-splits";

export interface TrainingExport {
  dir: string;
  manifestSha256: string;
  manifest: ExportManifest;
}

/** Where the studio keeps a version's export (the same place the Datasets page exports to). */
export function defaultExportDir(versionId: string): string {
  return exportDir(versionId);
}

/** Only an approved version is trained: 409-style refusal otherwise, naming the state. */
export async function approvedVersion(db: Database, versionId: string): Promise<DatasetVersionDetail> {
  const version = await getVersion(db, versionId);
  if (version.state !== "approved")
    throw new DatasetStateError(
      `dataset version ${versionId} is ${version.state.replace("_", " ")}: only an approved version can be trained`,
    );
  return version;
}

/** Reads an export's manifest and checks it is this approved version's, with a file for every stage. */
export async function readTrainingExport(version: DatasetVersionDetail, dir: string): Promise<TrainingExport> {
  const target = resolve(dir);
  const text = await readFile(join(target, "manifest.json"), "utf8").catch(() => null);
  if (text === null)
    throw new TrainingError(`${target} has no manifest.json: export the version first (finemed export --dataset ${version.id} --out DIR)`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TrainingError(`${target}/manifest.json is not JSON`);
  }
  const parsed = trainingManifestSchema.safeParse(raw);
  if (!parsed.success) throw new TrainingError(`${target}/manifest.json is not a FineMed export manifest`);
  const { dataset, splits } = parsed.data;
  if (!isExportOf(parsed.data, version)) {
    throw new TrainingError(
      `${target} is not the approved export of dataset version ${version.id} (manifest: version ${dataset.versionId}, approved ${dataset.approved})`,
    );
  }
  for (const stage of CHAIN_STAGES) {
    if (stage.split !== null && !splits.some((split) => split.name === stage.split && split.files.length > 0))
      throw new TrainingError(`the export has no ${stage.split} split for ${stage.title}`);
  }
  return { dir: target, manifestSha256: createHash("sha256").update(text).digest("hex"), manifest: raw as ExportManifest };
}

/** How a training hand-off answers the export's empty or short splits. */
export interface ShortSplitAnswer {
  acknowledgeShortSplits: boolean;
  /** What is refused without the acknowledgement (it names the right flag). */
  for: "chain" | "bundle";
}

/**
 * The version's export in `dir` (default: the studio's export folder), exporting it first when absent.
 * Empty or short splits are refused unless acknowledged, before anything is written; the export made
 * here records the acknowledgement in its manifest and card, and so does the studio's own export
 * folder when it holds an export made without one (an existing export in a folder the caller named is
 * only read: the acknowledgement is then the caller's to record, in the audit). Another exporter of
 * the version (the studio's Export, `finemed export`) is waited for, so both never write at once.
 */
export async function ensureTrainingExport(
  db: Database,
  versionId: string,
  dir: string = defaultExportDir(versionId),
  answer: ShortSplitAnswer = { acknowledgeShortSplits: false, for: "chain" },
  lock: ExportLockOptions = {},
): Promise<TrainingExport> {
  const version = await approvedVersion(db, versionId);
  return withExportLock(db, versionId, () => exportForTraining(db, version, dir, answer), lock);
}

async function exportForTraining(
  db: Database,
  version: DatasetVersionDetail,
  dir: string,
  answer: ShortSplitAnswer,
): Promise<TrainingExport> {
  const versionId = version.id;
  const existing = await readFile(join(resolve(dir), "manifest.json"), "utf8").catch(() => null);
  if (existing === null) {
    requireShortSplitAnswer(await trainingShortSplits(version, dir), answer.acknowledgeShortSplits, answer.for);
    await exportDataset(db, versionId, dir, { shortSplitGate: true, acknowledgeShortSplits: answer.acknowledgeShortSplits });
    return readTrainingExport(version, dir);
  }
  // An export of something else is named as such first, before its short splits.
  const exported = await readTrainingExport(version, dir);
  requireShortSplitAnswer(recordedShortSplits(exported.manifest, version.counts).splits, answer.acknowledgeShortSplits, answer.for);
  const studioFolder = resolve(dir) === resolve(defaultExportDir(versionId));
  if (studioFolder && answer.acknowledgeShortSplits && shortSplitsUnanswered(recordedShortSplits(exported.manifest, version.counts))) {
    await acknowledgeShortSplits(db, versionId, dir, exported.manifest);
    return readTrainingExport(version, dir);
  }
  return exported;
}
