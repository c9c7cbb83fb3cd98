import type { VersionCounts } from "../datasets/version-view";
import type { ExportManifest } from "./export-manifest";
import { exportOptionsSchema } from "./export-options";
import { findShortSplits, type ShortSplit } from "./short-splits";

export interface RecordedShortSplits {
  acknowledged: boolean;
  splits: ShortSplit[];
}

/**
 * The short splits an existing export wrote, and whether its exporter acknowledged them. A manifest
 * from before the short-split check records none, so they are found again from the version's counts
 * and the options the export recorded (unacknowledged: nobody was asked).
 */
export function recordedShortSplits(manifest: ExportManifest, counts: VersionCounts): RecordedShortSplits {
  const recorded = (manifest as Partial<ExportManifest>).shortSplits;
  if (recorded && Array.isArray(recorded.splits)) return { acknowledged: recorded.acknowledged === true, splits: recorded.splits };
  const options = exportOptionsSchema.safeParse(manifest.options ?? {});
  return { acknowledged: false, splits: findShortSplits(counts, options.success ? options.data : exportOptionsSchema.parse({})) };
}

/** Whether someone must still say yes to this export's short splits before it is used. */
export function shortSplitsUnanswered(recorded: RecordedShortSplits): boolean {
  return recorded.splits.length > 0 && !recorded.acknowledged;
}
