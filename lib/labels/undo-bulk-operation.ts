import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { Database } from "../db/database";
import { LabelChangeRefused } from "./label-errors";
import { inTransaction } from "../db/transaction";
import { retryOnConflict } from "./conflict-retry";

export interface UndoBulkResult {
  /** The undo's own bulk operation. */
  bulkOperationId: string;
  restored: number;
  /** Samples changed again after the operation: left as they are, never silently overwritten. */
  skipped: number;
  /** Up to 100 of the skipped sample ids. */
  skippedIds: number[];
}

const SKIPPED_IDS_SHOWN = 100;

const operationKindRow = z.object({ kind: z.string() });
const undoingOperationRow = z.object({ id: z.string() });
const undoOutcomeRow = z.object({
  restored: z.int(),
  skipped: z.int(),
  // node-postgres parses a bigint[] element by element as text: lib/db/database.ts maps only the scalar int8 to numbers.
  skipped_ids: z.array(z.string()),
});

/**
 * Reverts a bulk relabel in one set-based statement: every sample still at the version the operation
 * left it gets back its previous curated label, each restoration audited under a new bulk operation.
 */
export async function undoBulkOperation(db: Database, bulkOperationId: string, actor: string, reason = "undo"): Promise<UndoBulkResult> {
  return retryOnConflict(() => inTransaction(db, (client) => undoInTransaction(client, bulkOperationId, actor, reason)));
}

async function undoInTransaction(client: pg.PoolClient, bulkOperationId: string, actor: string, reason: string): Promise<UndoBulkResult> {
  const [operation] = await queryRows(client, operationKindRow, `SELECT o.kind FROM bulk_operations o WHERE o.id = $1 FOR UPDATE`, [
    bulkOperationId,
  ]);
  if (!operation) throw new LabelChangeRefused(`there is no bulk operation ${bulkOperationId}`);
  // Asked only once the row lock is held, in a statement of its own: a concurrent undo that held the
  // lock first has committed by now, and this statement's snapshot sees it (the locking one's did not).
  const [undoing] = await queryRows(client, undoingOperationRow, `SELECT id FROM bulk_operations WHERE undoes_id = $1`, [bulkOperationId]);
  if (undoing) throw new LabelChangeRefused(`bulk operation ${bulkOperationId} has already been undone (by ${undoing.id})`);
  if (operation.kind === "merge") {
    throw new LabelChangeRefused(
      "a department merge is not undone label by label: the taxonomy change would stay; relabel explicitly instead",
    );
  }
  if (operation.kind.startsWith("taxonomy-")) {
    throw new LabelChangeRefused("a taxonomy edit changed no label to restore: edit the taxonomy again instead");
  }
  const id = randomUUID();
  // Every change of the operation is locked with its sample; only those whose sample is still at the
  // version the operation left are restored. RETURNING carries the change's columns so the audit
  // insert needs no join between CTE scans.
  const [outcome] = await queryRows(
    client,
    undoOutcomeRow,
    `WITH target AS (
       SELECT c.id AS change_id, c.instruction_id, c.from_primary_id, c.from_secondary_id, c.to_primary_id, c.to_secondary_id,
              s.label_version = c.version AS restorable
         FROM label_changes c JOIN samples s ON s.instruction_id = c.instruction_id
        WHERE c.bulk_operation_id = $1
        -- Samples are locked in id order (a bulk relabel's scan mostly meets them in that order too); a
        -- deadlock that happens anyway is retried by retryOnConflict.
        ORDER BY c.instruction_id
          FOR UPDATE OF s
     ), changed AS (
       UPDATE samples s SET curated_primary_id = t.from_primary_id, curated_secondary_id = t.from_secondary_id,
              primary_id = CASE WHEN t.from_primary_id IS NULL THEN s.model_primary_id ELSE t.from_primary_id END,
              secondary_id = CASE WHEN t.from_primary_id IS NULL THEN s.model_secondary_id ELSE t.from_secondary_id END,
              label_version = s.label_version + 1, updated_at = now()
         FROM target t WHERE s.instruction_id = t.instruction_id AND t.restorable
       RETURNING s.instruction_id, s.label_version, t.change_id, t.from_primary_id, t.from_secondary_id, t.to_primary_id, t.to_secondary_id
     ), audit AS (
       INSERT INTO label_changes (instruction_id, bulk_operation_id, version, from_primary_id, from_secondary_id, to_primary_id, to_secondary_id, kind, actor, reason, undoes_change_id)
       SELECT c.instruction_id, $2, c.label_version, c.to_primary_id, c.to_secondary_id, c.from_primary_id, c.from_secondary_id, 'undo', $3, $4, c.change_id
         FROM changed c
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM audit)::int AS restored,
            (SELECT count(*) FROM target WHERE NOT restorable)::int AS skipped,
            ARRAY(SELECT instruction_id FROM target WHERE NOT restorable ORDER BY instruction_id LIMIT ${SKIPPED_IDS_SHOWN}) AS skipped_ids`,
    [bulkOperationId, id, actor, reason],
  );
  const { restored, skipped, skipped_ids: skippedIds } = outcome!;
  await client.query(
    `INSERT INTO bulk_operations (id, kind, actor, reason, selection, row_count, undoes_id) VALUES ($1, 'undo', $2, $3, $4, $5, $6)`,
    [id, actor, reason, JSON.stringify({ undoes: bulkOperationId }), restored, bulkOperationId],
  );
  return { bulkOperationId: id, restored, skipped, skippedIds: skippedIds.map(Number) };
}
