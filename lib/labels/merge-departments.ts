import type { Database } from "../db/database";
import { applyBulkChange } from "./apply-bulk-change";
import { inTransaction } from "../db/transaction";
import { SqlParams } from "../samples/sql-params";
import { TaxonomyViolation } from "../taxonomy/label-target";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";

export interface MergeResult {
  bulkOperationId: string;
  /** Samples whose label in force moved from the merged department to the one it was merged into. */
  relabelled: number;
}

/**
 * Merges department `fromId` into `intoId` (same level) in one transaction: every sample whose label
 * in force uses `from` gets a curated label using `into`, audited as one bulk operation; a merged
 * primary's secondaries move under `into`; `from` is retired and remembers where it went. Model
 * labels are untouched, so the merge stays visible as model-vs-curated.
 */
export async function mergeDepartments(
  db: Database,
  input: { fromId: number; intoId: number; actor: string; reason: string },
): Promise<MergeResult> {
  return inTransaction(db, async (client) => {
    const index = new TaxonomyIndex(await currentTaxonomy(client));
    const from = index.get(input.fromId);
    const into = index.get(input.intoId);
    if (!from || !into) throw new TaxonomyViolation("both departments of a merge must exist");
    if (from.id === into.id) throw new TaxonomyViolation("a department cannot be merged into itself");
    if (from.level !== into.level)
      throw new TaxonomyViolation(`a ${from.level} department can only be merged into another ${from.level} one`);
    if (from.retiredAt !== null) throw new TaxonomyViolation(`"${from.name}" is already retired`);
    if (!index.isUsable(into)) throw new TaxonomyViolation(`"${into.name}" is retired; it cannot receive a merge`);
    const params = new SqlParams();
    const fromId = params.add(from.id, "smallint");
    const change =
      from.level === "primary"
        ? { where: `s.primary_id = ${fromId}`, toPrimary: params.add(into.id, "smallint"), toSecondary: "s.secondary_id" }
        : {
            where: `s.secondary_id = ${fromId}`,
            toPrimary: params.add(into.parentId, "smallint"),
            toSecondary: params.add(into.id, "smallint"),
          };
    // Children first, so the relabelled rows' secondaries already belong to `into` when the audit is read.
    if (from.level === "primary") {
      await client.query(`UPDATE departments SET parent_id = $2, updated_at = now() WHERE parent_id = $1`, [from.id, into.id]);
    }
    const applied = await applyBulkChange(client, {
      kind: "merge",
      actor: input.actor,
      reason: input.reason,
      selection: { merge: { from: from.name, into: into.name, level: from.level } },
      ...change,
      params,
      fixedTarget: from.level === "secondary" ? { primaryId: into.parentId!, secondaryId: into.id } : null,
    });
    await client.query(`UPDATE departments SET retired_at = now(), merged_into_id = $2, updated_at = now() WHERE id = $1`, [
      from.id,
      into.id,
    ]);
    return { bulkOperationId: applied.bulkOperationId, relabelled: applied.count };
  });
}
