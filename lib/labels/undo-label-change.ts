import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { LabelChangeRefused, LabelConflictError } from "./label-errors";
import { inTransaction } from "../db/transaction";

export interface UndoResult {
  changeId: number;
  version: number;
}

const undoneChangeRow = z.object({
  instruction_id: z.int(),
  version: z.int(),
  from_primary_id: z.int().nullable(),
  from_secondary_id: z.int().nullable(),
  to_primary_id: z.int().nullable(),
  to_secondary_id: z.int().nullable(),
  undone: z.boolean(),
});
const labelVersionRow = z.object({ label_version: z.int() });
const laterChangeRow = z.object({ actor: z.string(), created_at: z.date() });
const insertedChangeRow = z.object({ id: z.int() });

/**
 * Restores the curated label a change replaced (no override if there was none), recorded as its own
 * audit entry. Refused with a LabelConflictError while a later change to the sample is still in force
 * (undoing then would silently discard it); once those are undone, this one can be too.
 */
export async function undoLabelChange(db: Database, changeId: number, actor: string, reason = "undo"): Promise<UndoResult> {
  return inTransaction(db, async (client) => {
    const [change] = await queryRows(
      client,
      undoneChangeRow,
      `SELECT c.instruction_id, c.version, c.from_primary_id, c.from_secondary_id, c.to_primary_id, c.to_secondary_id,
              EXISTS (SELECT 1 FROM label_changes u WHERE u.instruction_id = c.instruction_id AND u.undoes_change_id = c.id) AS undone
         FROM label_changes c WHERE c.id = $1`,
      [changeId],
    );
    if (!change) throw new LabelChangeRefused(`there is no label change ${changeId}`);
    if (change.undone) throw new LabelChangeRefused(`label change ${changeId} has already been undone`);
    const [current] = await queryRows(client, labelVersionRow, `SELECT label_version FROM samples WHERE instruction_id = $1 FOR UPDATE`, [
      change.instruction_id,
    ]);
    if (!current) throw new LabelChangeRefused(`sample ${change.instruction_id} no longer exists`);
    // Later changes that are still in force (not undos, not undone) would be lost by restoring this one.
    const [overwritten] = await queryRows(
      client,
      laterChangeRow,
      `SELECT l.actor, l.created_at FROM label_changes l
        WHERE l.instruction_id = $1 AND l.id > $2 AND l.kind <> 'undo'
          AND NOT EXISTS (SELECT 1 FROM label_changes u WHERE u.instruction_id = l.instruction_id AND u.undoes_change_id = l.id)
        ORDER BY l.id DESC LIMIT 1`,
      [change.instruction_id, changeId],
    );
    if (overwritten) {
      throw new LabelConflictError(
        change.instruction_id,
        change.version,
        current.label_version,
        overwritten.actor,
        overwritten.created_at.toISOString(),
      );
    }
    const version = current.label_version + 1;
    await client.query(
      `UPDATE samples SET curated_primary_id = $2, curated_secondary_id = $3,
              primary_id = CASE WHEN $2::smallint IS NULL THEN model_primary_id ELSE $2 END,
              secondary_id = CASE WHEN $2::smallint IS NULL THEN model_secondary_id ELSE $3 END,
              label_version = $4, updated_at = now()
        WHERE instruction_id = $1`,
      [change.instruction_id, change.from_primary_id, change.from_secondary_id, version],
    );
    const [inserted] = await queryRows(
      client,
      insertedChangeRow,
      `INSERT INTO label_changes (instruction_id, version, from_primary_id, from_secondary_id, to_primary_id, to_secondary_id, kind, actor, reason, undoes_change_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'undo', $7, $8, $9) RETURNING id`,
      [
        change.instruction_id,
        version,
        change.to_primary_id,
        change.to_secondary_id,
        change.from_primary_id,
        change.from_secondary_id,
        actor,
        reason,
        changeId,
      ],
    );
    return { changeId: inserted!.id, version };
  });
}
