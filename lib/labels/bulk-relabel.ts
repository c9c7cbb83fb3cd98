import type { Database } from "../db/database";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import { resolveLabelTarget, type LabelTarget } from "../taxonomy/label-target";
import { applyBulkChange } from "./apply-bulk-change";
import { selectionContext, type BulkSelection } from "./bulk-selection";
import { inTransaction } from "../db/transaction";
import { retryOnConflict } from "./conflict-retry";

export interface BulkRelabelResult {
  bulkOperationId: string;
  /** Samples whose label changed (those already carrying `to` are not counted). */
  count: number;
}

/** How many samples a bulk relabel would change, counted exactly; also refuses a target the taxonomy forbids. */
export async function previewBulkRelabel(db: Database, selection: BulkSelection, to: LabelTarget): Promise<number> {
  const context = await selectionContext(db, selection);
  const target = resolveLabelTarget(context.index, to);
  const p = context.params.add(target.primaryId, "smallint");
  const s = context.params.add(target.secondaryId, "smallint");
  const result = await db.pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM samples s WHERE ${context.where} AND (s.primary_id, s.secondary_id) IS DISTINCT FROM (${p}, ${s})`,
    context.params.values,
  );
  return result.rows[0]!.count;
}

/**
 * Overrides the department of every selected sample in one set-based statement, audited under one
 * bulk operation that undoBulkOperation reverts.
 */
export async function bulkRelabel(db: Database, selection: BulkSelection, to: LabelTarget, reason: string, actor: string): Promise<BulkRelabelResult> {
  // A deadlock's victim is run again from the start: the selection's parameters are built afresh.
  return retryOnConflict(async () => {
    const context = await selectionContext(db, selection);
    return inTransaction(db, async (client) => {
      // Resolved again inside the transaction: a department retired since the filter was read is refused.
      const target = resolveLabelTarget(new TaxonomyIndex(await currentTaxonomy(client)), to);
      const primary = context.params.add(target.primaryId, "smallint");
      const secondary = context.params.add(target.secondaryId, "smallint");
      return applyBulkChange(client, {
        kind: "relabel",
        actor,
        reason,
        selection: { ...selection, to },
        where: context.where,
        params: context.params,
        toPrimary: primary,
        toSecondary: secondary,
        fixedTarget: target,
      });
    });
  });
}
