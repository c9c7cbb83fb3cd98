export { exportDataset, type ExportResult } from "./export-dataset";
export { ExportError, ShortSplitsRefused } from "./export-errors";
export { findShortSplits, type ShortSplit } from "./short-splits";
export { recordedShortSplits, shortSplitsUnanswered, type RecordedShortSplits } from "./recorded-short-splits";
export { acknowledgeShortSplits } from "./acknowledge-short-splits";
export {
  exportOptionsSchema,
  EXPORT_FORMATS,
  DPO_OVERLAPS,
  PAPER_SIZES,
  SPLIT_SIZINGS,
  type ExportOptions,
  type ExportOptionsInput,
  type ExportFormat,
  type DpoOverlap,
} from "./export-options";
export type { ExportManifest, ManifestFile, ManifestSplit } from "./export-manifest";
export { SPLIT_NAMES, type SplitName } from "./split-plan";
export { TRAINING_STAGES, PAPER_TRAINING, type TrainingStage } from "./training-stages";
export type { MessagesRow, PreferenceRow, TttRow } from "./split-rows";
export type { ExportProgress } from "./write-splits";
export { ensureExport, exportDir, exportedFilePath, findExport, type ShortSplitAnswer, type StoredExport } from "./export-store";
export { acquireExportLock, withExportLock, type ExportLock, type ExportLockOptions } from "./export-lock";
