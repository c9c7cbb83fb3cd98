import type pg from "pg";
import { auditEventInputSchema, type AuditEventInput, type AuditSubject } from "./audit-event";
import { maskSecrets } from "./mask-secrets";
import type { AuditWriter } from "./record-audit-event";
import { recordAuditEvent } from "./record-audit-event";

// The role gate cannot put a route's change and its audit event in one transaction (each route opens
// its own), so it writes the event ahead: the intent is committed before the handler runs, and only
// then may the change happen. If the intent cannot be written the change is never attempted; if the
// handler refuses the intent is withdrawn; if it fails or completing fails, the intent (with its request) stays.

function runner(writer: AuditWriter): pg.Pool | pg.ClientBase {
  return "pool" in writer && "prisma" in writer ? writer.pool : writer;
}

/** Records the intent of a change about to be made: `details.outcome` is "pending" until completed. */
export async function beginAuditEvent(writer: AuditWriter, input: AuditEventInput): Promise<number> {
  return recordAuditEvent(writer, { ...input, details: { ...(input.details ?? {}), outcome: "pending" } });
}

/** The change was made: the event gets the response's status, summary and the subject it created. */
export async function completeAuditEvent(
  writer: AuditWriter,
  id: number,
  completion: { subject: AuditSubject | null; details: Record<string, unknown> },
): Promise<void> {
  const subject = auditEventInputSchema.shape.subject.parse(completion.subject);
  const subjectId = subject?.id === undefined || subject?.id === null ? null : String(subject.id);
  await runner(writer).query(
    `UPDATE audit_events
        SET subject_type = $2, subject_id = $3, details = (details - 'outcome') || $4::jsonb
      WHERE id = $1`,
    [id, subject?.type ?? null, subjectId, JSON.stringify(maskSecrets(completion.details))],
  );
}

/** The handler refused or failed: nothing changed, so the intent is withdrawn. */
export async function withdrawAuditEvent(writer: AuditWriter, id: number): Promise<void> {
  await runner(writer).query(`DELETE FROM audit_events WHERE id = $1 AND details->>'outcome' = 'pending'`, [id]);
}
