import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { Database } from "../db/database";
import { DatasetStateError } from "../datasets/dataset-errors";
import { getVersion, type DatasetVersionDetail } from "../datasets/read-versions";
import { finemedHome } from "../db/settings";
import { exportDataset } from "../export/export-dataset";
import type { ExportManifest } from "../export/export-manifest";
import { CHAIN_STAGES } from "./chain-stages";
import { TrainingError } from "./training-errors";

// Only what the chain relies on is checked; the stand-in stages verify every file's sha256 themselves.
const manifestSchema = z.object({
  format: z.literal("finemed-export/1"),
  dataset: z.object({ versionId: z.string(), contentHash: z.string(), approved: z.boolean() }),
  splits: z.array(z.object({ name: z.string(), files: z.array(z.string()) })),
});

export interface TrainingExport {
  dir: string;
  manifestSha256: string;
  manifest: ExportManifest;
}

/** Where the studio keeps a version's export (the same place the Datasets page exports to). */
export function defaultExportDir(versionId: string): string {
  return join(finemedHome(), "exports", versionId);
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
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new TrainingError(`${target}/manifest.json is not a FineMed export manifest`);
  const { dataset, splits } = parsed.data;
  if (dataset.versionId !== version.id || dataset.contentHash !== version.contentHash || !dataset.approved) {
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

/** The version's export in `dir` (default: the studio's export folder), exporting it first when absent. */
export async function ensureTrainingExport(
  db: Database,
  versionId: string,
  dir: string = defaultExportDir(versionId),
): Promise<TrainingExport> {
  const version = await approvedVersion(db, versionId);
  const existing = await readFile(join(resolve(dir), "manifest.json"), "utf8").catch(() => null);
  if (existing === null) await exportDataset(db, versionId, dir);
  return readTrainingExport(version, dir);
}
