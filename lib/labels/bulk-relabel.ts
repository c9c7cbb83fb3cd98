import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { SAMPLE_STATUSES, type SampleStatus } from "../samples/sample-query";
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

/** Only a kept outcome has a department to correct: rejected instructions and failed texts are never relabelled. */
const RELABELLABLE = "s.status = 'kept'";

/** What a bulk relabel would do to its selection, counted exactly before anyone confirms it. */
export interface BulkRelabelPreview {
  /** Samples whose label in force would change. */
  count: number;
  /** Kept samples that already carry the target label. */
  unchanged: number;
  /** Samples left alone because they have no kept outcome, by outcome. */
  excluded: { status: Exclude<SampleStatus, "kept">; count: number }[];
  /** Every sample in the selection. */
  total: number;
}

const statusBreakdownRow = z.object({ status: z.enum(SAMPLE_STATUSES), total: z.int(), differing: z.int() });
type StatusBreakdown = z.output<typeof statusBreakdownRow>;

/** The breakdown of a bulk relabel; also refuses a target the taxonomy forbids. */
export async function bulkRelabelBreakdown(db: Database, selection: BulkSelection, to: LabelTarget): Promise<BulkRelabelPreview> {
  const context = await selectionContext(db, selection);
  const target = resolveLabelTarget(context.index, to);
  const p = context.params.add(target.primaryId, "smallint");
  const s = context.params.add(target.secondaryId, "smallint");
  const rows = await queryRows(
    db.pool,
    statusBreakdownRow,
    `SELECT s.status::text AS status, count(*)::int AS total,
            count(*) FILTER (WHERE (s.primary_id, s.secondary_id) IS DISTINCT FROM (${p}, ${s}))::int AS differing
       FROM samples s WHERE ${context.where} GROUP BY s.status ORDER BY s.status`,
    context.params.values,
  );
  const kept = rows.find((row) => row.status === "kept");
  const excluded = rows
    .filter((row): row is StatusBreakdown & { status: Exclude<SampleStatus, "kept"> } => row.status !== "kept")
    .map((row) => ({ status: row.status, count: row.total }));
  return {
    count: kept?.differing ?? 0,
    unchanged: kept ? kept.total - kept.differing : 0,
    excluded,
    total: rows.reduce((sum, row) => sum + row.total, 0),
  };
}

/** How many samples a bulk relabel would change, counted exactly; also refuses a target the taxonomy forbids. */
export async function previewBulkRelabel(db: Database, selection: BulkSelection, to: LabelTarget): Promise<number> {
  return (await bulkRelabelBreakdown(db, selection, to)).count;
}

/**
 * Overrides the department of every selected kept sample in one set-based statement, audited under one
 * bulk operation that undoBulkOperation reverts.
 */
export async function bulkRelabel(
  db: Database,
  selection: BulkSelection,
  to: LabelTarget,
  reason: string,
  actor: string,
): Promise<BulkRelabelResult> {
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
        where: `(${context.where}) AND ${RELABELLABLE}`,
        params: context.params,
        toPrimary: primary,
        toSecondary: secondary,
        fixedTarget: target,
      });
    });
  });
}
