import type pg from "pg";
import type { Database } from "../db/database";
import { hasApproverRole } from "./approver-role";
import { ApprovalRefused, DatasetError, DatasetStateError, DatasetVersionNotFound } from "./dataset-errors";
import { inTransaction } from "../db/transaction";
import { requireSecondPairOfEyes } from "./four-eyes";
import { queryRows } from "../db/checked-rows";
import { toVersionView, VERSION_COLUMNS, versionRow, versionStateRow, type DatasetVersionView, type VersionState } from "./version-view";

/**
 * Moves a version from `from` to `to` with a guarded UPDATE (the row only moves if it is still in
 * `from`, so two reviewers cannot both decide) and records the event. The database's trigger
 * refuses any other transition, and any change at all to an approved version.
 */
async function transition(
  db: Database,
  versionId: string,
  from: VersionState,
  to: VersionState,
  actor: string,
  set: string,
  values: unknown[],
  reason: string | null = null,
  guard?: (client: pg.PoolClient) => Promise<void>,
): Promise<DatasetVersionView> {
  return inTransaction(db, async (client: pg.PoolClient) => {
    await guard?.(client);
    const [row] = await queryRows(
      client,
      versionRow,
      `UPDATE dataset_versions SET state = '${to}'${set} WHERE id = $1 AND state = '${from}' RETURNING ${VERSION_COLUMNS}`,
      [versionId, ...values],
    );
    if (!row) {
      const [current] = await queryRows(client, versionStateRow, "SELECT state::text AS state FROM dataset_versions WHERE id = $1", [
        versionId,
      ]);
      if (!current) throw new DatasetVersionNotFound(versionId);
      throw new DatasetStateError(
        `dataset version ${versionId} is ${current.state}; only a ${from.replace("_", " ")} version can become ${to.replace("_", " ")}`,
      );
    }
    await client.query(`INSERT INTO dataset_version_events (version_id, from_state, to_state, actor, reason) VALUES ($1, $2, $3, $4, $5)`, [
      versionId,
      from,
      to,
      actor,
      reason,
    ]);
    return toVersionView(row);
  });
}

/** draft → in review. */
export function submitVersion(db: Database, versionId: string, actor: string): Promise<DatasetVersionView> {
  return transition(db, versionId, "draft", "in_review", actor, ", submitted_by = $2, submitted_at = now()", [actor]);
}

export interface DecisionOptions {
  /** The actor's role(s), as checked by the caller (session, service token, CLI user); none means refused. */
  actorRoles?: readonly string[];
}

function requireApprover(actor: string, options: DecisionOptions, verb: string): void {
  if (!hasApproverRole(actor, options.actorRoles))
    throw new ApprovalRefused(`${actor} is not an approver and cannot ${verb} a dataset version`);
}

/**
 * in review → approved, by an approver only, and not by whoever created or submitted it while another
 * approver exists (four eyes). From then on the version never changes.
 */
export async function approveVersion(
  db: Database,
  versionId: string,
  actor: string,
  options: DecisionOptions = {},
): Promise<DatasetVersionView> {
  requireApprover(actor, options, "approve");
  return transition(db, versionId, "in_review", "approved", actor, ", decided_by = $2, decided_at = now()", [actor], null, (client) =>
    requireSecondPairOfEyes(client, versionId, actor),
  );
}

/** in review → rejected with a reason, by an approver only. */
export async function rejectVersion(
  db: Database,
  versionId: string,
  actor: string,
  reason: string,
  options: DecisionOptions = {},
): Promise<DatasetVersionView> {
  requireApprover(actor, options, "reject");
  const why = reason.trim();
  if (why === "") throw new DatasetError("a rejection needs a reason");
  return transition(
    db,
    versionId,
    "in_review",
    "rejected",
    actor,
    ", decided_by = $2, decided_at = now(), rejection_reason = $3",
    [actor, why],
    why,
  );
}
