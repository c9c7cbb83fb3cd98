import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { withoutNul } from "../http/input-text";
import { AUDIT_VIA, type AuditEvent } from "./audit-event";
import { auditState } from "./audit-state";

const DATE_HINT = "a date or time, e.g. 2026-11-22 or 2026-11-22T10:00Z";
// JavaScript reads dates PostgreSQL refuses (year 275760, "2026-02-30" as 2 March): the filter passes
// PostgreSQL the ISO form of what JavaScript read, within years 1 to 9999.
const isoDate = withoutNul(z.string().trim())
  .refine((value) => !Number.isNaN(Date.parse(value)), { error: DATE_HINT })
  .refine(
    (value) => {
      const year = new Date(Date.parse(value)).getUTCFullYear();
      return year >= 1 && year <= 9999;
    },
    { error: `${DATE_HINT}, between the years 1 and 9999` },
  );
// The largest id a bigint holds: a larger cursor can name no event.
const MAX_EVENT_ID = 9_223_372_036_854_775_807n;

export const auditQuerySchema = z.object({
  actor: withoutNul(z.string().trim().min(1).max(320)).optional(),
  /** An exact action ("runs.pause") or a prefix ending in "." or "*" ("runs.", "taxonomy*"). */
  action: withoutNul(z.string().trim().min(1).max(120)).optional(),
  subjectType: withoutNul(z.string().trim().min(1).max(64)).optional(),
  subjectId: withoutNul(z.string().trim().min(1).max(200)).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Keyset cursor: the last event of the previous page. */
  before: z
    .string()
    .regex(/^\d{1,19}$/, { error: "before is an event id" })
    .refine((value) => BigInt(value) <= MAX_EVENT_ID, { error: "before is an event id" })
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

const eventRow = z.object({
  id: z.number().int(),
  at: z.date(),
  actor: z.string(),
  actor_role: z.string().nullable(),
  action: z.string(),
  subject_type: z.string().nullable(),
  subject_id: z.string().nullable(),
  // recordAuditEvent stores an object (masked details, default {}).
  details: z.record(z.string(), z.unknown()),
  via: z.enum(AUDIT_VIA),
});

/** Newest first, filtered, one keyset page (by id, which grows with time: deep pages cost the same as the first). */
export async function listAuditEvents(db: Pick<Database, "pool">, query: AuditQuery = {}): Promise<AuditPage> {
  const q = auditQuerySchema.parse(query);
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace("?", `$${values.length}`));
  };
  if (q.actor) add("actor = ?", q.actor);
  if (q.action) {
    if (q.action.endsWith("*") || q.action.endsWith("."))
      add("action LIKE ?", `${q.action.replace(/\*$/, "").replace(/[\\%_]/g, "\\$&")}%`);
    else add("action = ?", q.action);
  }
  if (q.subjectType) add("subject_type = ?", q.subjectType);
  if (q.subjectId) add("subject_id = ?", q.subjectId);
  if (q.from) add("at >= ?::timestamptz", new Date(Date.parse(q.from)).toISOString());
  // A bare date as the end means the whole of that day.
  if (q.to)
    add(
      "at < ?::timestamptz",
      /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? new Date(Date.parse(q.to) + 86_400_000).toISOString() : new Date(Date.parse(q.to)).toISOString(),
    );
  if (q.before) add("id < ?::bigint", q.before);
  values.push(q.limit + 1);
  const rows = await queryRows(
    db.pool,
    eventRow,
    `SELECT id, at, actor, actor_role, action, subject_type, subject_id, details, via FROM audit_events
     ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT $${values.length}`,
    values,
  );
  const page = rows.slice(0, q.limit);
  return {
    events: page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: row.actor,
      actorRole: row.actor_role,
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      details: row.details,
      via: row.via,
      state: auditState(row.details),
    })),
    nextBefore: rows.length > q.limit ? String(page.at(-1)!.id) : null,
  };
}

const distinctValueRow = z.object({ v: z.string() });

/**
 * The distinct values of an indexed column, by a loose index scan (one index probe per value): a
 * plain DISTINCT reads every event, ~0.5 s at a million.
 */
async function distinctValues(db: Pick<Database, "pool">, column: "action" | "actor" | "subject_type", limit: number): Promise<string[]> {
  const rows = await queryRows(
    db.pool,
    distinctValueRow,
    `WITH RECURSIVE found AS (
       (SELECT ${column} AS v, 1 AS n FROM audit_events WHERE ${column} IS NOT NULL ORDER BY ${column} LIMIT 1)
       UNION ALL
       SELECT (SELECT ${column} FROM audit_events WHERE ${column} > found.v ORDER BY ${column} LIMIT 1), found.n + 1
       FROM found WHERE found.v IS NOT NULL AND found.n < $1
     )
     SELECT v FROM found WHERE v IS NOT NULL`,
    [limit],
  );
  return rows.map((row) => row.v);
}

/** The distinct actions, subject types and actors recorded, for the filter pickers. */
export async function auditVocabulary(
  db: Pick<Database, "pool">,
): Promise<{ actions: string[]; subjectTypes: string[]; actors: string[] }> {
  const [actions, subjectTypes, actors] = await Promise.all([
    distinctValues(db, "action", 500),
    distinctValues(db, "subject_type", 200),
    distinctValues(db, "actor", 500),
  ]);
  return { actions, subjectTypes, actors };
}
