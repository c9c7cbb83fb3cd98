import type pg from "pg";
import { withCommitHook } from "../db/transaction";
import { auditEventInputSchema, type AuditEventInput, type AuditSubject } from "./audit-event";
import { maskSecrets } from "./mask-secrets";
import type { AuditWriter } from "./record-audit-event";
import { recordAuditEvent } from "./record-audit-event";

// A transactional outbox, not one transaction: the role gate (and the CLI) cannot put a change and its
// event in one transaction without threading a client through every lib function, whose routes each
// open their own. So the event is written ahead ("pending", committed before the change is tried: no
// event, no change), and every transaction the change opens through inTransaction marks it
// "committed" in that same transaction, just before COMMIT. The mark and the change commit or roll back
// together: a mark that cannot be written rolls the change back, a change that rolls back leaves the
// event "pending", and the gate then records the result ("done", "error") or withdraws a refused one.
// After a crash, "committed" means the change happened and "pending" that no marked transaction did.

/** The event of one change in progress: its id once written ahead; `open` until the result is recorded. */
export interface AuditIntentRef {
  id: number | null;
  open: boolean;
  /** A marked transaction has committed: later ones (a worker the command started) need not mark again. */
  committed?: boolean;
}

function runner(writer: AuditWriter): pg.Pool | pg.ClientBase {
  return "pool" in writer && "prisma" in writer ? writer.pool : writer;
}

/** Records the intent of a change about to be made: `details.outcome` is "pending" until completed. */
export async function beginAuditEvent(writer: AuditWriter, input: AuditEventInput): Promise<number> {
  return recordAuditEvent(writer, { ...input, details: { ...(input.details ?? {}), outcome: "pending" } });
}

/**
 * In the change's own transaction: its event is marked "committed". Throws (so the change rolls
 * back) when the event is missing or already closed: a change never commits without its event.
 */
export async function markAuditCommitted(client: pg.ClientBase, id: number): Promise<void> {
  const marked = await client.query(
    `UPDATE audit_events SET details = jsonb_set(details, '{outcome}', '"committed"')
      WHERE id = $1 AND details->>'outcome' IN ('pending', 'committed')`,
    [id],
  );
  if (marked.rowCount !== 1) throw new Error(`audit event ${id} is not open: the change is not made without it`);
}

/**
 * Runs a change so that its transactions (inTransaction) commit the mark of `ref`'s event with them,
 * until one has. Before the event is written (`ref.id` null) and after its result is recorded, nothing
 * is marked.
 */
export function runAudited<T>(ref: AuditIntentRef, change: () => Promise<T>): Promise<T> {
  return withCommitHook(async (client) => {
    if (!ref.open || ref.id === null || ref.committed) return;
    await markAuditCommitted(client, ref.id);
    return () => {
      ref.committed = true;
    };
  }, change);
}

/**
 * The change was made (or failed: `failed`): the event gets the status, summary and the subject it
 * created. A failed change whose transaction had committed keeps `committed: true`, so the log says
 * that part of it happened.
 */
export async function completeAuditEvent(
  writer: AuditWriter,
  id: number,
  completion: { subject: AuditSubject | null; details: Record<string, unknown>; failed?: boolean },
): Promise<void> {
  const subject = auditEventInputSchema.shape.subject.parse(completion.subject);
  const subjectId = subject?.id === undefined || subject?.id === null ? null : String(subject.id);
  const failure = completion.failed ? { outcome: "error" } : {};
  await runner(writer).query(
    `UPDATE audit_events
        SET subject_type = $2, subject_id = $3,
            details = (details - 'outcome') || $4::jsonb
                      || CASE WHEN $5 AND details->>'outcome' = 'committed' THEN '{"committed": true}'::jsonb ELSE '{}'::jsonb END
      WHERE id = $1`,
    [id, subject?.type ?? null, subjectId, JSON.stringify(maskSecrets({ ...completion.details, ...failure })), completion.failed === true],
  );
}

/**
 * The change was refused: withdrawn when none of its transactions committed; true when withdrawn. An
 * event whose change committed before the refusal stays (the caller completes it).
 */
export async function withdrawAuditEvent(writer: AuditWriter, id: number): Promise<boolean> {
  const withdrawn = await runner(writer).query(`DELETE FROM audit_events WHERE id = $1 AND details->>'outcome' = 'pending'`, [id]);
  return withdrawn.rowCount === 1;
}
