import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { Database } from "../db/database";
import type { LabelTarget } from "../taxonomy/label-target";
import { LabelChangeRefused, LabelConflictError } from "./label-errors";
import { lastChange } from "./last-change";
import { relabelInTransaction } from "./relabel";
import { decideInOneStatement } from "./focus-decision-statement";

// A focus-mode decision on one sample. Both kinds go through the audited, version-checked write of a
// relabel: the row is locked, the version the curator saw is compared, and a label_changes row records
// who decided what (undoable through undoLabelChange like any other change). A curator makes one every
// few seconds, so the whole decision, with its audit event when the caller names one, is one transaction
// of four round trips and one commit: the event and the change are stored together or not at all.

export type FocusDecision = { kind: "confirm" } | { kind: "relabel"; to: LabelTarget };

export interface FocusDecisionInput {
  instructionId: number;
  expectedVersion: number;
  decision: FocusDecision;
  /** Optional in focus mode; a default naming the decision is recorded when empty. */
  reason: string | null;
  actor: string;
}

export interface FocusDecisionResult {
  /** The label change recording the decision; null when a relabel named the label already in force. */
  changeId: number | null;
  version: number;
}

/**
 * Records the decision's audit event on `client`, given its result: called inside the decision's own
 * transaction, just before its COMMIT (the role gate's TransactionAudit.record).
 */
export type FocusDecisionAudit = (client: pg.ClientBase, result: FocusDecisionResult) => Promise<void>;

const lockedLabelRow = z.object({
  label_version: z.int(),
  model_primary_id: z.int().nullable(),
  model_secondary_id: z.int().nullable(),
  curated_primary_id: z.int().nullable(),
  curated_secondary_id: z.int().nullable(),
});
const insertedChangeRow = z.object({ id: z.int() });

export const CONFIRM_KIND = "confirm";
const DEFAULT_REASON = { confirm: "the model is right (focus mode)", relabel: "relabelled in focus mode" } as const;

/**
 * "The model is right": the curated label becomes the model's own, so the review queue (which holds
 * samples no curator has ruled on) lets it go, and the decision stays in the audit trail as a change of
 * kind "confirm" even when the label in force does not move.
 */
async function confirmModelLabel(client: pg.PoolClient, input: FocusDecisionInput, reason: string): Promise<FocusDecisionResult> {
  const [sample] = await queryRows(
    client,
    lockedLabelRow,
    `SELECT label_version, model_primary_id, model_secondary_id, curated_primary_id, curated_secondary_id
       FROM samples WHERE instruction_id = $1 FOR UPDATE`,
    [input.instructionId],
  );
  if (!sample) throw new LabelChangeRefused(`there is no sample ${input.instructionId}`);
  if (sample.label_version !== input.expectedVersion) {
    const last = await lastChange(client, input.instructionId);
    throw new LabelConflictError(input.instructionId, input.expectedVersion, sample.label_version, last?.actor ?? null, last?.at ?? null);
  }
  if (sample.model_primary_id === null) throw new LabelChangeRefused(`sample ${input.instructionId} has no model label to confirm`);
  const version = sample.label_version + 1;
  await client.query(
    `UPDATE samples SET curated_primary_id = model_primary_id, curated_secondary_id = model_secondary_id,
            primary_id = model_primary_id, secondary_id = model_secondary_id, label_version = $2, updated_at = now()
      WHERE instruction_id = $1`,
    [input.instructionId, version],
  );
  const [change] = await queryRows(
    client,
    insertedChangeRow,
    `INSERT INTO label_changes
            (instruction_id, version, from_primary_id, from_secondary_id, to_primary_id, to_secondary_id, kind, actor, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      input.instructionId,
      version,
      sample.curated_primary_id,
      sample.curated_secondary_id,
      sample.model_primary_id,
      sample.model_secondary_id,
      CONFIRM_KIND,
      input.actor,
      reason,
    ],
  );
  return { changeId: change!.id, version };
}

async function decide(client: pg.PoolClient, input: FocusDecisionInput): Promise<FocusDecisionResult> {
  const reason = input.reason?.trim() || DEFAULT_REASON[input.decision.kind];
  const { decision, instructionId, expectedVersion, actor } = input;
  const quick = await decideInOneStatement(client, {
    instructionId,
    expectedVersion,
    kind: decision.kind,
    to: decision.kind === "relabel" ? decision.to : null,
    actor,
    reason,
  });
  if (quick) return quick;
  // The statement wrote nothing: the step-by-step paths find out why and refuse in the curator's words.
  if (decision.kind === "confirm") return confirmModelLabel(client, input, reason);
  const result = await relabelInTransaction(client, { instructionId, to: decision.to, expectedVersion, reason, actor });
  return { changeId: result.changeId, version: result.version };
}

export async function decideFocusSample(db: Database, input: FocusDecisionInput, audit?: FocusDecisionAudit): Promise<FocusDecisionResult> {
  const client = await db.pool.connect();
  try {
    // One row and one audit event: the web pool's statement limit stays in force (no SET LOCAL).
    await client.query("BEGIN");
    const result = await decide(client, input);
    if (audit) await audit(client, result);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
