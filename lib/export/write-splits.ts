import type pg from "pg";
import { join } from "node:path";
import type { ExportOptions } from "./export-options";
import { cursorBatches } from "./row-cursor";
import { splitFiles } from "./split-files";
import type { PlannedSplit } from "./split-plan";
import { splitQuery, type SplitQueryContext } from "./split-query";
import {
  conversationalPreferenceRow,
  messagesRow,
  preferenceRow,
  rawSplitRow,
  tttRow,
  type PreferenceRow,
  type RawSplitRow,
  type SplitRow,
} from "./split-rows";
import { FILE_EXTENSIONS, openSplitWriter, type SplitWriter } from "./split-writer";

const FETCH_ROWS = 2_000;

export interface WrittenSplit extends PlannedSplit {
  files: string[];
  written: number;
  fileRows: Map<string, number>;
  /** The rows' ids in file order (kept for the TTT index only, whose vectors are written beside it). */
  ids: number[] | null;
}

export type ExportProgress = (event: { split: string; rows: number; total: number }) => void;

/**
 * Streams one split from its cursor into its file(s): the next batch is fetched while the current
 * one is written, and only those two batches are ever in memory.
 */
export async function writeSplit(
  client: pg.PoolClient,
  split: PlannedSplit,
  context: SplitQueryContext,
  dir: string,
  options: ExportOptions,
  nameOf: (id: number | null) => string | null,
  progress?: ExportProgress,
): Promise<WrittenSplit> {
  const files = splitFiles(split, FILE_EXTENSIONS[options.format]);
  const train = openSplitWriter(options.format, join(dir, files.train), split.shape);
  const validation: SplitWriter | null = files.validation
    ? openSplitWriter(options.format, join(dir, files.validation), split.shape)
    : null;
  const conversational: SplitWriter | null = files.conversational
    ? openSplitWriter(options.format, join(dir, files.conversational), "conversational_preference")
    : null;
  const toRow = (raw: RawSplitRow): SplitRow =>
    split.shape === "messages" ? messagesRow(raw) : split.shape === "preference" ? preferenceRow(raw) : tttRow(raw, nameOf);
  let seen = 0;
  const ids: number[] | null = split.shape === "ttt" ? [] : null;
  const iterator = cursorBatches(client, rawSplitRow, splitQuery(split, context), FETCH_ROWS)[Symbol.asyncIterator]();
  let next = iterator.next();
  const writers = [train, validation, conversational].filter((writer): writer is SplitWriter => writer !== null);
  const fileRows = new Map<string, number>();
  try {
    try {
      for (;;) {
        const batch = await next;
        if (batch.done) break;
        next = iterator.next();
        const rows = batch.value.map(toRow);
        if (ids) for (const row of rows) ids.push(row.id);
        // The first validationRows rows in sample order are validation, so the two files never share a row.
        const held = Math.max(0, Math.min(rows.length, split.validationRows - seen));
        if (validation && held > 0) await validation.write(rows.slice(0, held));
        await train.write(held > 0 ? rows.slice(held) : rows);
        if (conversational) await conversational.write(rows.map((row) => conversationalPreferenceRow(row as PreferenceRow)));
        seen += rows.length;
        progress?.({ split: split.name, rows: seen, total: split.rows });
      }
    } finally {
      await next.catch(() => undefined);
      await iterator.return?.(undefined);
    }
    fileRows.set(files.train, await train.close());
    if (validation && files.validation) fileRows.set(files.validation, await validation.close());
    if (conversational && files.conversational) fileRows.set(files.conversational, await conversational.close());
  } catch (error) {
    await Promise.all(writers.map((writer) => writer.discard()));
    throw error;
  }
  return { ...split, files: [...fileRows.keys()], written: seen, fileRows, ids };
}
