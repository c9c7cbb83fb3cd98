import type pg from "pg";
import { recordAuditEvent, type AuditSubject } from "../audit";
import { readRequestBody } from "../http/json-body";
import { describeRequest, subjectParams, type RouteAudit } from "./request-audit";
import { admitRequest, answeringFailures } from "./request-gate";
import type { Actor, Role } from "./roles";

/** What the handler tells the gate about its change, for the event it records. */
export interface TransactionAuditOutcome {
  /** What the change is about, e.g. { type: "sample", id: 42 }. */
  subject: AuditSubject;
  /** The change's result (ids, the new version), as the response answers it. */
  result?: Record<string, unknown>;
  /** The status the route answers on success; 200 unless told. */
  status?: number;
}

/** The request's audit event, handed to a handler that makes its change in one transaction of its own. */
export interface TransactionAudit {
  /**
   * Inserts the event on `client`, inside the handler's transaction, just before it commits: the event
   * and the change are stored together or not at all. Once per request.
   */
  record(client: pg.ClientBase, outcome: TransactionAuditOutcome): Promise<void>;
}

type Handler<C> = (request: Request, context: C, actor: Actor, audit: TransactionAudit) => Promise<Response>;

/**
 * The role gate for a route whose change is one transaction: identification and every refusal are
 * withRole's own (admitRequest: 401, 403 for a one-time password, CSRF, a role below `needed`) and the
 * body is read once, bounded, by the same reader; but instead of writing the event ahead, marking it
 * committed and completing it (three commits), the handler records it in its own transaction (one).
 * A refusal or failure rolls that transaction back, so neither the change nor its event is stored. A
 * handler that answers success without having recorded its event gets it recorded here afterwards, and
 * the server log says so: no successful change goes unaudited.
 */
export function withRoleInTransaction<C>(
  needed: Role,
  handler: Handler<C>,
  audit: Omit<RouteAudit, "body"> = {},
): (request: Request, context: C) => Promise<Response> {
  return (request, context) =>
    answeringFailures(request, async () => {
      const admission = await admitRequest(needed, request);
      if (!admission.admitted) return admission.response;
      const { db, actor, via, changes } = admission;
      // JSON bodies are read here, once and bounded, so what the event records is what the handler applies.
      const body = changes ? await readRequestBody(request) : ({ ok: true, empty: true } as const);
      if (!body.ok) return body.response;
      const path = new URL(request.url).pathname;
      const described = describeRequest(request.method, path, await subjectParams(context), audit);
      let recorded = false;
      const eventOf = (outcome: TransactionAuditOutcome) => ({
        actor,
        action: described.action,
        subject: outcome.subject,
        details: {
          method: request.method,
          path,
          status: outcome.status ?? 200,
          ...(body.empty ? {} : { request: body.value }),
          ...(outcome.result ? { result: outcome.result } : {}),
        },
        via,
      });
      const response = await handler(request, context, actor, {
        async record(client, outcome) {
          if (recorded) throw new Error(`the audit event of ${request.method} ${path} is recorded once per request`);
          await recordAuditEvent(client, eventOf(outcome));
          recorded = true;
        },
      });
      if (changes && response.status < 400 && !recorded) {
        process.stderr.write(
          `[audit] ${request.method} ${path} answered ${response.status} without recording its event in its transaction\n`,
        );
        const subject = { type: described.subjectType ?? "request", id: described.subjectId };
        await recordAuditEvent(db, eventOf({ subject, status: response.status }));
      }
      return response;
    });
}
