import { z } from "zod";
import { ROLES } from "../auth/roles";
import type { AuditState } from "./audit-state";

/** Where a state change came from: the browser (session), HTTP with a service token, the CLI, or the studio itself. */
export const AUDIT_VIA = ["web", "api", "cli", "system"] as const;
export type AuditVia = (typeof AUDIT_VIA)[number];

/** What an audit event is about: a run, a dataset version, a corpus, a user… and its id. */
export interface AuditSubject {
  type: string;
  id?: string | number | null;
}

export interface AuditEventInput {
  /** The actor's name (user email or service-token name) and role at the time. */
  actor: string | { name: string; role: string };
  /** Dotted verb, e.g. "run.start", "dataset.approve", "labels.bulk-relabel". */
  action: string;
  subject?: AuditSubject | null;
  details?: Record<string, unknown> | null;
  via?: AuditVia;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  actorRole: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  via: AuditVia;
  /** Whether the change is known to have happened: only "done" (and "committed") events claim it did. */
  state: AuditState;
}

export const auditEventInputSchema = z.object({
  actor: z.union([z.string().trim().min(1).max(320), z.object({ name: z.string().trim().min(1).max(320), role: z.enum(ROLES) })]),
  action: z.string().trim().min(1).max(120),
  subject: z.object({ type: z.string().trim().min(1).max(64), id: z.union([z.string(), z.number()]).nullish() }).nullish(),
  details: z.record(z.string(), z.unknown()).nullish(),
  via: z.enum(AUDIT_VIA).optional(),
});
