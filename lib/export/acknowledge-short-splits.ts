import { randomBytes } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Database } from "../db/database";
import { exportDataset, type ExportResult } from "./export-dataset";
import type { ExportManifest } from "./export-manifest";

/**
 * Records an acknowledgement of short splits in an export made without one (by the training hand-off
 * before it asked, or a library call): the version is exported again with the options the manifest
 * recorded, which gives the same split files, and only the manifest and the card change. The new
 * export is written beside the old one and swapped in with two renames, so a reader never finds the
 * directory half-written.
 */
export async function acknowledgeShortSplits(
  db: Database,
  versionId: string,
  dir: string,
  manifest: ExportManifest,
): Promise<ExportResult> {
  const target = resolve(dir);
  const stamp = randomBytes(6).toString("hex");
  const fresh = join(dirname(target), `.${basename(target)}.acknowledged-${stamp}`);
  const old = join(dirname(target), `.${basename(target)}.unacknowledged-${stamp}`);
  const result = await exportDataset(db, versionId, fresh, { ...manifest.options, shortSplitGate: true, acknowledgeShortSplits: true });
  try {
    await rename(target, old);
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
  await rename(fresh, target);
  await rm(old, { recursive: true, force: true });
  return { ...result, outDir: target };
}
