import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";

/** One bulk operation for the audit trail, JSON-safe. */
export interface BulkOperationView {
  id: string;
  kind: string;
  actor: string;
  reason: string;
  selection: unknown;
  to: { primary: string | null; secondary: string | null } | null;
  rowCount: number;
  createdAt: string;
  /** For an undo: the operation it reverted. */
  undoesId: string | null;
  /** The undo that reverted this operation, if any. */
  undoneById: string | null;
}

const bulkOperationRow = z.object({
  id: z.string(),
  kind: z.string(),
  actor: z.string(),
  reason: z.string(),
  // Shown as it was stored: a filter, ids, or what an undo undid; the audit trail only displays it.
  selection: z.unknown(),
  to_primary_id: z.int().nullable(),
  to_secondary_id: z.int().nullable(),
  row_count: z.int(),
  created_at: z.date(),
  undoes_id: z.string().nullable(),
  undone_by: z.string().nullable(),
});

/** Bulk operations, newest first; pass the last one's createdAt as `before` for the next page. */
export async function listBulkOperations(db: Database, options: { limit?: number; before?: string } = {}): Promise<BulkOperationView[]> {
  const index = new TaxonomyIndex(await currentTaxonomy(db));
  const rows = await queryRows(
    db.pool,
    bulkOperationRow,
    `SELECT o.id, o.kind, o.actor, o.reason, o.selection, o.to_primary_id, o.to_secondary_id, o.row_count, o.created_at, o.undoes_id,
            (SELECT u.id FROM bulk_operations u WHERE u.undoes_id = o.id) AS undone_by
       FROM bulk_operations o
      WHERE $1::timestamptz IS NULL OR o.created_at < $1::timestamptz
      ORDER BY o.created_at DESC, o.id DESC LIMIT $2`,
    [options.before ?? null, Math.min(options.limit ?? 50, 500)],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    actor: row.actor,
    reason: row.reason,
    selection: row.selection,
    to: row.to_primary_id === null ? null : { primary: index.nameOf(row.to_primary_id), secondary: index.nameOf(row.to_secondary_id) },
    rowCount: row.row_count,
    createdAt: row.created_at.toISOString(),
    undoesId: row.undoes_id,
    undoneById: row.undone_by,
  }));
}
