import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { LabelTarget } from "../taxonomy/label-target";

// A focus decision is made every few seconds per curator, so its usual case is one statement and one
// round trip (inside the caller's transaction): the row is locked, the version the curator saw compared, the target resolved against the
// taxonomy (exact level:name, not retired, secondary under its primary: what resolveLabelTarget enforces),
// the label written and the label_changes row inserted, all or nothing. Anything else (no such sample, a
// moved version, a label the taxonomy refuses, no model label to confirm) writes nothing here and is left
// to the transactional path, which says why in the curator's words.

const DECISION_STATEMENT = `
WITH current AS (
  SELECT instruction_id, label_version, model_primary_id, model_secondary_id, curated_primary_id, curated_secondary_id
    FROM samples WHERE instruction_id = $1 FOR UPDATE
), target AS (
  SELECT c.model_primary_id AS primary_id, c.model_secondary_id AS secondary_id
    FROM current c WHERE $3::text = 'confirm' AND c.model_primary_id IS NOT NULL
  UNION ALL
  SELECT p.id, s.id
    FROM departments p LEFT JOIN departments s ON s.level = 'secondary' AND s.name = $5::text
   WHERE $3::text = 'relabel' AND p.level = 'primary' AND p.name = $4::text AND p.retired_at IS NULL
     AND ($5::text IS NULL OR (s.parent_id = p.id AND s.retired_at IS NULL))
), changed AS (
  UPDATE samples s
     SET curated_primary_id = t.primary_id, curated_secondary_id = t.secondary_id, primary_id = t.primary_id,
         secondary_id = t.secondary_id, label_version = c.label_version + 1, updated_at = now()
    FROM current c, target t
   WHERE s.instruction_id = c.instruction_id AND c.label_version = $2
     AND ($3::text = 'confirm' OR c.curated_primary_id IS DISTINCT FROM t.primary_id OR c.curated_secondary_id IS DISTINCT FROM t.secondary_id)
  RETURNING s.label_version
), change AS (
  INSERT INTO label_changes (instruction_id, version, from_primary_id, from_secondary_id, to_primary_id, to_secondary_id, kind, actor, reason)
  SELECT c.instruction_id, ch.label_version, c.curated_primary_id, c.curated_secondary_id, t.primary_id, t.secondary_id, $3::text, $6::text, $7::text
    FROM current c, target t, changed ch
  RETURNING id
)
SELECT c.label_version, EXISTS (SELECT 1 FROM target) AS target_ok,
       (SELECT id FROM change) AS change_id, (SELECT label_version FROM changed) AS new_version
  FROM current c`;

/** No row when there is no such sample; change_id and new_version are null when nothing was written. */
const decisionRow = z.object({
  label_version: z.int(),
  target_ok: z.boolean(),
  change_id: z.int().nullable(),
  new_version: z.int().nullable(),
});

export interface DecisionStatementInput {
  instructionId: number;
  expectedVersion: number;
  kind: "confirm" | "relabel";
  /** The relabel's target; ignored for a confirm. */
  to: LabelTarget | null;
  actor: string;
  reason: string;
}

export type DecisionStatementResult = { changeId: number | null; version: number } | null;

/** The decision in one statement; null when it wrote nothing and the transactional path must answer. */
export async function decideInOneStatement(client: pg.ClientBase, input: DecisionStatementInput): Promise<DecisionStatementResult> {
  const [row] = await queryRows(client, decisionRow, DECISION_STATEMENT, [
    input.instructionId,
    input.expectedVersion,
    input.kind,
    input.to?.primary ?? null,
    input.to?.secondary ?? null,
    input.actor,
    input.reason,
  ]);
  if (!row || !row.target_ok || row.label_version !== input.expectedVersion) return null;
  if (row.change_id !== null && row.new_version !== null) return { changeId: row.change_id, version: row.new_version };
  // A relabel naming the label already in force: nothing to write, as relabel() answers.
  return input.kind === "relabel" ? { changeId: null, version: row.label_version } : null;
}
