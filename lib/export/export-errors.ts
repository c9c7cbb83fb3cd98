import type { ShortSplit } from "./short-splits";

/** An export refused or failed for a reason the caller can act on (bad options, a non-empty target…). */
export class ExportError extends Error {}

/** The export is refused because splits are empty or short and nobody acknowledged them. */
export class ShortSplitsRefused extends ExportError {
  constructor(readonly splits: readonly ShortSplit[]) {
    super(
      `${splits.length === 1 ? "a split is" : `${splits.length} splits are`} empty or short: ${splits.map((s) => s.reason).join("; ")}. Nothing was exported; acknowledge the short splits to export anyway (--allow-short-splits, or acknowledgeShortSplits: true)`,
    );
  }
}
