import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { SqlParams } from "../samples/sql-params";

export interface BulkChange {
  kind: "relabel" | "merge";
  actor: string;
  reason: string;
  /** Stored with the operation as it was asked for (a filter or ids). */
  selection: unknown;
  /** WHERE over `samples s`, with its parameters in `params`. */
  where: string;
  params: SqlParams;
  /** SQL expressions over `s` for the new curated label; a merge keeps each row's own secondary. */
  toPrimary: string;
  toSecondary: string;
  /** Recorded on the operation when every row gets the same label. */
  fixedTarget: { primaryId: number; secondaryId: number | null } | null;
}

const changedCountRow = z.object({ count: z.int() });

/**
 * One set-based statement: lock the selected rows whose label in force differs from the target,
 * override them, and write one audit row each (INSERT … SELECT), all under one bulk operation id.
 * Rows already carrying the target are left alone, so the count is what actually changed and an
 * undo restores exactly those.
 */
export async function applyBulkChange(client: pg.PoolClient, change: BulkChange): Promise<{ bulkOperationId: string; count: number }> {
  const id = randomUUID();
  const { params } = change;
  const opId = params.add(id, "uuid");
  const kind = params.add(change.kind, "text");
  const actor = params.add(change.actor, "text");
  const reason = params.add(change.reason, "text");
  const [changed] = await queryRows(
    client,
    changedCountRow,
    `WITH target AS (
       SELECT s.instruction_id, s.curated_primary_id AS from_p, s.curated_secondary_id AS from_s,
              (${change.toPrimary})::smallint AS to_p, (${change.toSecondary})::smallint AS to_s
         FROM samples s
        WHERE ${change.where}
          AND (s.primary_id, s.secondary_id) IS DISTINCT FROM ((${change.toPrimary})::smallint, (${change.toSecondary})::smallint)
          FOR UPDATE
     ), changed AS (
       -- RETURNING carries the target's columns, so the audit needs no join between CTE scans (the
       -- planner cannot estimate those and may pick a nested loop that is quadratic in the row count).
       UPDATE samples s SET curated_primary_id = t.to_p, curated_secondary_id = t.to_s, primary_id = t.to_p, secondary_id = t.to_s,
              label_version = s.label_version + 1, updated_at = now()
         FROM target t WHERE s.instruction_id = t.instruction_id
       RETURNING s.instruction_id, s.label_version, t.from_p, t.from_s, t.to_p, t.to_s
     ), audit AS (
       INSERT INTO label_changes (instruction_id, bulk_operation_id, version, from_primary_id, from_secondary_id, to_primary_id, to_secondary_id, kind, actor, reason)
       SELECT c.instruction_id, ${opId}, c.label_version, c.from_p, c.from_s, c.to_p, c.to_s, ${kind}, ${actor}, ${reason}
         FROM changed c
       RETURNING 1
     )
     SELECT count(*)::int AS count FROM audit`,
    params.values,
  );
  const count = changed!.count;
  await client.query(
    `INSERT INTO bulk_operations (id, kind, actor, reason, selection, to_primary_id, to_secondary_id, row_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      change.kind,
      change.actor,
      change.reason,
      JSON.stringify(change.selection),
      change.fixedTarget?.primaryId ?? null,
      change.fixedTarget?.secondaryId ?? null,
      count,
    ],
  );
  return { bulkOperationId: id, count };
}
