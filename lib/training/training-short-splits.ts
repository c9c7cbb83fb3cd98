import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DatasetVersionView } from "../datasets/version-view";
import type { ExportManifest } from "../export/export-manifest";
import { exportOptionsSchema } from "../export/export-options";
import { recordedShortSplits } from "../export/recorded-short-splits";
import { findShortSplits, type ShortSplit } from "../export/short-splits";
import { TrainingShortSplitsRefused } from "./training-errors";
import { isExportOf, trainingManifestSchema } from "./training-manifest";

async function matchingManifest(version: DatasetVersionView, dir: string): Promise<ExportManifest | null> {
  const text = await readFile(join(resolve(dir), "manifest.json"), "utf8").catch(() => null);
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = trainingManifestSchema.safeParse(raw);
  // The checked fields are the ones compared; the rest is read as the exporter wrote it.
  return parsed.success && isExportOf(parsed.data, version) ? (raw as ExportManifest) : null;
}

/**
 * The splits a chain or job bundle of this version would train on empty or short: those its export in
 * `dir` wrote, or, while there is no export of it there, those the studio's export (the paper's sizes,
 * absolute) would write. Training asks about them whether or not the exporter acknowledged them: the
 * person handing the version to a cluster decides to spend the GPU time.
 */
export async function trainingShortSplits(version: DatasetVersionView, dir: string): Promise<ShortSplit[]> {
  const manifest = await matchingManifest(version, dir);
  if (manifest) return recordedShortSplits(manifest, version.counts).splits;
  return findShortSplits(version.counts, exportOptionsSchema.parse({}));
}

/** Refuses (before anything is exported or recorded) while short splits are there and not acknowledged. */
export function requireShortSplitAnswer(splits: readonly ShortSplit[], acknowledged: boolean, what: "chain" | "bundle"): void {
  if (splits.length > 0 && !acknowledged) throw new TrainingShortSplitsRefused(splits, what);
}
