import type pg from "pg";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { auditEventInputSchema, type AuditEventInput } from "./audit-event";
import { maskSecrets } from "./mask-secrets";

/** A database handle, a pool, or a client inside the caller's transaction (the event commits with it). */
export type AuditWriter = Database | pg.Pool | pg.PoolClient | pg.ClientBase;

function runner(writer: AuditWriter): pg.Pool | pg.ClientBase {
  return "pool" in writer && "prisma" in writer ? writer.pool : writer;
}

// The id is a BIGINT: a number through the int8 parser of lib/db/database.ts.
const recordedEventRow = z.object({ id: z.number().int() });

/**
 * Appends one event to the audit log. Pass the transaction's client when the change is made in a
 * transaction, so the event and the change commit or roll back together. Secret-looking values in
 * `details` are masked before they are stored.
 */
export async function recordAuditEvent(writer: AuditWriter, input: AuditEventInput): Promise<number> {
  const event = auditEventInputSchema.parse(input);
  const actor = typeof event.actor === "string" ? { name: event.actor, role: null } : event.actor;
  const subjectId = event.subject?.id === undefined || event.subject?.id === null ? null : String(event.subject.id);
  const [recorded] = await queryRows(
    runner(writer),
    recordedEventRow,
    `INSERT INTO audit_events (actor, actor_role, action, subject_type, subject_id, details, via)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      actor.name,
      actor.role,
      event.action,
      event.subject?.type ?? null,
      subjectId,
      JSON.stringify(maskSecrets(event.details ?? {})),
      event.via ?? "web",
    ],
  );
  return recorded!.id;
}
