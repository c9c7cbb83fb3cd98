import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import type { TaxonomyIndex } from "../taxonomy/taxonomy-index";

export interface CuratedLabelView {
  primary: string | null;
  secondary: string | null;
}

/** One audited change of a sample's curated label, JSON-safe. */
export interface LabelChangeView {
  id: number;
  at: string;
  actor: string;
  /** relabel, undo or merge. */
  kind: string;
  reason: string;
  /** The curated label before and after; null means no override (the model's label in force). */
  from: CuratedLabelView | null;
  to: CuratedLabelView | null;
  /** The sample's label version after the change. */
  version: number;
  bulkOperationId: string | null;
  undoesChangeId: number | null;
  /** The later change that undid this one, if any. */
  undoneByChangeId: number | null;
}

const labelChangeRow = z.object({
  id: z.int(),
  created_at: z.date(),
  actor: z.string(),
  kind: z.string(),
  reason: z.string(),
  from_primary_id: z.int().nullable(),
  from_secondary_id: z.int().nullable(),
  to_primary_id: z.int().nullable(),
  to_secondary_id: z.int().nullable(),
  version: z.int(),
  bulk_operation_id: z.string().nullable(),
  undoes_change_id: z.int().nullable(),
  undone_by: z.int().nullable(),
});

function curated(index: TaxonomyIndex, primaryId: number | null, secondaryId: number | null): CuratedLabelView | null {
  return primaryId === null ? null : { primary: index.nameOf(primaryId), secondary: index.nameOf(secondaryId) };
}

/** A sample's curated label history, oldest first. */
export async function labelHistory(db: Database, instructionId: number, index: TaxonomyIndex): Promise<LabelChangeView[]> {
  const rows = await queryRows(
    db.pool,
    labelChangeRow,
    `SELECT c.id, c.created_at, c.actor, c.kind, c.reason, c.from_primary_id, c.from_secondary_id, c.to_primary_id, c.to_secondary_id,
            c.version, c.bulk_operation_id, c.undoes_change_id,
            (SELECT u.id FROM label_changes u WHERE u.instruction_id = c.instruction_id AND u.undoes_change_id = c.id LIMIT 1) AS undone_by
       FROM label_changes c WHERE c.instruction_id = $1 ORDER BY c.id`,
    [instructionId],
  );
  return rows.map((row) => ({
    id: row.id,
    at: row.created_at.toISOString(),
    actor: row.actor,
    kind: row.kind,
    reason: row.reason,
    from: curated(index, row.from_primary_id, row.from_secondary_id),
    to: curated(index, row.to_primary_id, row.to_secondary_id),
    version: row.version,
    bulkOperationId: row.bulk_operation_id,
    undoesChangeId: row.undoes_change_id,
    undoneByChangeId: row.undone_by,
  }));
}
