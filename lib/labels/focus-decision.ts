import type { Database } from "../db/database";
import { inTransaction } from "../db/transaction";
import type { LabelTarget } from "../taxonomy/label-target";
import { LabelChangeRefused, LabelConflictError } from "./label-errors";
import { lastChange } from "./last-change";
import { relabel } from "./relabel";

// A focus-mode decision on one sample. Both kinds go through the audited, version-checked write of a
// relabel: the row is locked, the version the curator saw is compared, and a label_changes row records
// who decided what (undoable through undoLabelChange like any other change).

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

export const CONFIRM_KIND = "confirm";
const DEFAULT_REASON = { confirm: "the model is right (focus mode)", relabel: "relabelled in focus mode" } as const;

/**
 * "The model is right": the curated label becomes the model's own, so the review queue (which holds
 * samples no curator has ruled on) lets it go, and the decision stays in the audit trail as a change of
 * kind "confirm" even when the label in force does not move.
 */
async function confirmModelLabel(db: Database, input: FocusDecisionInput, reason: string): Promise<FocusDecisionResult> {
  return inTransaction(db, async (client) => {
    const found = await client.query<{
      label_version: number;
      model_primary_id: number | null;
      model_secondary_id: number | null;
      curated_primary_id: number | null;
      curated_secondary_id: number | null;
    }>(
      `SELECT label_version, model_primary_id, model_secondary_id, curated_primary_id, curated_secondary_id
         FROM samples WHERE instruction_id = $1 FOR UPDATE`,
      [input.instructionId],
    );
    const sample = found.rows[0];
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
    const change = await client.query<{ id: string }>(
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
    return { changeId: Number(change.rows[0]!.id), version };
  });
}

export async function decideFocusSample(db: Database, input: FocusDecisionInput): Promise<FocusDecisionResult> {
  const reason = input.reason?.trim() || DEFAULT_REASON[input.decision.kind];
  if (input.decision.kind === "confirm") return confirmModelLabel(db, input, reason);
  const { instructionId, expectedVersion, actor } = input;
  const result = await relabel(db, { instructionId, to: input.decision.to, expectedVersion, reason, actor });
  return { changeId: result.changeId === null ? null : Number(result.changeId), version: result.version };
}
