import { asyncBufferFromFile, parquetReadObjects, parquetSchema } from "hyparquet";
import { checkParquetIntegrity, ParquetFileRefused, readParquetFooter } from "./parquet-integrity";
import { toJsonSafe } from "./json-safe";
import type { ReadableSource, ReadOutcome } from "./records";
import { missingColumn, sourceRecordOf, type FieldChoice } from "./source-record";
import { spoolToTempFile } from "./spool";

/**
 * Parquet (as Hugging Face datasets publish it). Rows are read one row group at a time:
 * a row group is the unit parquet compresses, so it is the smallest read that does not
 * decode the same pages twice, and memory stays at about one row group.
 */
export async function* readParquet(source: ReadableSource, choice: FieldChoice): AsyncGenerator<ReadOutcome> {
  if (typeof source === "string") {
    yield* readParquetFile(source, choice);
    return;
  }
  const spooled = await spoolToTempFile(source, ".parquet");
  try {
    yield* readParquetFile(spooled.path, choice);
  } finally {
    await spooled.remove();
  }
}

async function* readParquetFile(path: string, choice: FieldChoice): AsyncGenerator<ReadOutcome> {
  const file = await asyncBufferFromFile(path);
  const metadata = await readParquetFooter(file);
  // Before any row is yielded: a lying footer would otherwise import part of the file, or pad it.
  await checkParquetIntegrity(file, metadata);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  const missing = missingColumn(columns, choice);
  if (missing !== null) throw new Error(`parquet file has no ${missing}`);

  let rowStart = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    } catch {
      throw new ParquetFileRefused(`row group ${index + 1} cannot be decoded (the file is damaged)`);
    }
    if (rows.length !== rowEnd - rowStart) {
      throw new ParquetFileRefused(`row group ${index + 1} holds ${rows.length} rows, not ${rowEnd - rowStart}`);
    }
    for (const [offset, row] of rows.entries()) {
      const outcome = sourceRecordOf(row, rowStart + offset + 1, choice);
      if (outcome.kind === "record") outcome.metadata = toJsonSafe(outcome.metadata) as Record<string, unknown>;
      yield outcome;
    }
    rowStart = rowEnd;
  }
}
