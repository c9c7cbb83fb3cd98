import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { FrozenDepartment } from "../datasets/version-view";
import { JsonlSplitWriter } from "./jsonl-split-writer";
import { cursorBatches } from "./row-cursor";
import { messagesRow, rawSplitRow } from "./split-rows";
import { SqlParams } from "../samples/sql-params";

export const RELEASE_DIR = "release";
export const ALL_MEDICINE = "Medicine (all)";
export const THINKING_SET = "SFTo1Data";
const FETCH_ROWS = 2_000;

/** One folder of the release layout and how many rows its train.jsonl holds. */
export interface ReleaseFolder {
  folder: string;
  file: string;
  rows: number;
}

// A department name as a folder name: path separators and control characters never reach the disk.
const folderName = (name: string) => name.replace(/[\\/\p{Cc}]+/gu, "-").trim() || "unnamed";

async function writeFolder(
  client: pg.PoolClient,
  dir: string,
  folder: string,
  query: { text: string; values: unknown[] },
): Promise<ReleaseFolder> {
  const relative = `${RELEASE_DIR}/${folder}/train.jsonl`;
  await mkdir(join(dir, RELEASE_DIR, folder), { recursive: true });
  const writer = new JsonlSplitWriter(join(dir, relative));
  try {
    for await (const batch of cursorBatches(client, rawSplitRow, query, FETCH_ROWS)) {
      // The thinking set's chosen answer is the long-form reasoning itself, as in the o1 SFT split.
      await writer.write(batch.map(messagesRow));
    }
    return { folder, file: relative, rows: await writer.close() };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

// `tier` is one of two literals (never user input), written inline because the column is an enum.
function membersQuery(versionId: string, tier: "common" | "complex", primaryId: number | null): { text: string; values: unknown[] } {
  const params = new SqlParams();
  const text = `SELECT m.instruction_id AS id, i.text AS instruction, r.text AS response, NULL::text AS rejected, NULL::text AS thought, NULL::text AS summarization,
                       m.primary_id, m.secondary_id
                  FROM dataset_members m JOIN instructions i ON i.id = m.instruction_id JOIN responses r ON r.id = m.chosen_response_id
                 WHERE m.version_id = ${params.add(versionId, "uuid")} AND m.tier = '${tier}'
                   ${primaryId === null ? "" : `AND m.primary_id = ${params.add(primaryId, "smallint")}`}
                 ORDER BY m.instruction_id`;
  return { text, values: params.values };
}

/**
 * FineMed's published layout (hongzhouyu/FineMed-SFT): one folder per primary department with its SFT
 * rows, "Medicine (all)" with every SFT row, and SFTo1Data with the long-form reasoning (thinking) set;
 * each folder holds train.jsonl in the messages format. Written beside the training splits, in the same
 * read-only snapshot (needs the export's open transaction on `client`).
 */
export async function writeReleaseLayout(
  client: pg.PoolClient,
  dir: string,
  versionId: string,
  departments: readonly FrozenDepartment[],
): Promise<ReleaseFolder[]> {
  const present = await queryRows(
    client,
    z.object({ primary_id: z.number().int() }),
    `SELECT DISTINCT primary_id FROM dataset_members WHERE version_id = $1 AND tier = 'common' AND primary_id IS NOT NULL ORDER BY primary_id`,
    [versionId],
  );
  const names = new Map(departments.map((d) => [d.id, d.name]));
  const folders: ReleaseFolder[] = [];
  for (const { primary_id: id } of present) {
    folders.push(await writeFolder(client, dir, folderName(names.get(id) ?? `department ${id}`), membersQuery(versionId, "common", id)));
  }
  folders.push(await writeFolder(client, dir, ALL_MEDICINE, membersQuery(versionId, "common", null)));
  folders.push(await writeFolder(client, dir, THINKING_SET, membersQuery(versionId, "complex", null)));
  return folders;
}
