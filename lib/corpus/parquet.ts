import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
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
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  const missing = missingColumn(columns, choice);
  if (missing !== null) throw new Error(`parquet file has no ${missing}`);

  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    for (const [index, row] of rows.entries()) {
      const outcome = sourceRecordOf(row, rowStart + index + 1, choice);
      if (outcome.kind === "record") outcome.metadata = toJsonSafe(outcome.metadata) as Record<string, unknown>;
      yield outcome;
    }
    rowStart = rowEnd;
  }
}
