import { readCsv } from "./csv";
import { readJsonl } from "./jsonl";
import { readParquet } from "./parquet";
import { DEFAULT_MAX_TEXT_BYTES, type ReadableSource, type ReadOptions, type ReadOutcome } from "./records";

/**
 * Turns an imported file into source-text records and rejections, in file order, one at a
 * time: the caller's pace sets how much is read. Problems with single rows are yielded as
 * rejections; problems with the file as a whole (no text column, unreadable parquet) throw.
 */
export function readSourceTexts(input: ReadableSource, options: ReadOptions): AsyncIterable<ReadOutcome> {
  const maxTextBytes = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  if (!Number.isInteger(maxTextBytes) || maxTextBytes <= 0) {
    throw new RangeError(`maxTextBytes must be a positive integer, got ${maxTextBytes}`);
  }
  const choice = { textField: options.textField, idField: options.idField, maxTextBytes };
  switch (options.format) {
    case "jsonl":
      return readJsonl(input, choice);
    case "csv":
      return readCsv(input, { ...choice, encoding: options.encoding ?? "auto" });
    case "parquet":
      return readParquet(input, choice);
  }
}
