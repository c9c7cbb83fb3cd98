import { readSourceTexts } from "../corpus/read-source-texts";
import type { ReadableSource, ReadOptions } from "../corpus/records";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

export interface ComparisonImportInput {
  name: string;
  fileName: string;
  source: ReadableSource;
  read: ReadOptions;
  createdBy: string;
}

export interface ComparisonImportSummary {
  datasetId: string;
  name: string;
  imported: number;
  rejected: number;
  /** The first rejections, enough to tell a curator what went wrong with the file. */
  rejections: { line: number; reason: string }[];
}

// Rows per multi-row insert: large enough that round trips do not dominate, small enough to stay flat in memory.
const CHUNK = 1_000;
const REJECTIONS_SHOWN = 20;

const createdDatasetRow = z.object({ id: z.string() });

export class ComparisonNameTaken extends Error {}

/**
 * Streams another dataset's instructions into a named comparison dataset, in one transaction: a
 * failed import leaves nothing behind. The chosen field's value is the instruction.
 */
export async function importComparisonDataset(db: Database, input: ComparisonImportInput): Promise<ComparisonImportSummary> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const [created] = await queryRows(
      client,
      createdDatasetRow,
      `INSERT INTO comparison_datasets (name, file_name, text_field, instruction_count, rejected_count, created_by)
       VALUES ($1, $2, $3, 0, 0, $4) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [input.name, input.fileName, input.read.textField, input.createdBy],
    );
    const datasetId = created?.id;
    if (!datasetId) throw new ComparisonNameTaken(`a comparison dataset named "${input.name}" already exists`);
    let lines: number[] = [];
    let texts: string[] = [];
    let imported = 0;
    let rejected = 0;
    const rejections: { line: number; reason: string }[] = [];
    const flush = async () => {
      if (lines.length === 0) return;
      await client.query(
        `INSERT INTO comparison_instructions (dataset_id, line, text) SELECT $1, l, t FROM unnest($2::int[], $3::text[]) AS u(l, t)`,
        [datasetId, lines, texts],
      );
      imported += lines.length;
      lines = [];
      texts = [];
    };
    for await (const outcome of readSourceTexts(input.source, input.read)) {
      if (outcome.kind === "record") {
        lines.push(outcome.line);
        texts.push(outcome.text);
        if (lines.length >= CHUNK) await flush();
      } else {
        rejected++;
        if (rejections.length < REJECTIONS_SHOWN) rejections.push({ line: outcome.line, reason: outcome.reason });
      }
    }
    await flush();
    await client.query(`UPDATE comparison_datasets SET instruction_count = $2, rejected_count = $3 WHERE id = $1`, [
      datasetId,
      imported,
      rejected,
    ]);
    await client.query("COMMIT");
    return { datasetId, name: input.name, imported, rejected, rejections };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
