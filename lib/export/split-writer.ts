import type { RowShape } from "./split-plan";
import type { SplitRow } from "./split-rows";
import type { ExportFormat } from "./export-options";
import { JsonlSplitWriter } from "./jsonl-split-writer";
import { ParquetSplitWriter } from "./parquet-split-writer";

/** A file of one split, written batch by batch. */
export interface SplitWriter {
  write(rows: readonly SplitRow[]): Promise<void>;
  /** Flushes and closes the file; returns how many rows it holds. */
  close(): Promise<number>;
  /** Lets go of the file without finishing it (the export failed): no descriptor may outlive a failed export. */
  discard(): Promise<void>;
}

export const FILE_EXTENSIONS: Record<ExportFormat, string> = { jsonl: "jsonl", parquet: "parquet" };

export function openSplitWriter(format: ExportFormat, path: string, shape: RowShape): SplitWriter {
  return format === "jsonl" ? new JsonlSplitWriter(path) : new ParquetSplitWriter(path, shape);
}
