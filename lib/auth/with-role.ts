import { database } from "../db/database";
import { readRequestBody } from "../http/json-body";
import { runAudited } from "../audit";
import { beginRequestAudit, finishRequestAudit, subjectParams, type RouteAudit } from "./request-audit";
import { admitRequest, answeringFailures } from "./request-gate";
import { identifyRequest } from "./request-identity";
import type { Actor, Role } from "./roles";

/** Who is calling: the signed-in session (cookie) or a service token (Authorization: Bearer); null when neither. */
export async function requestActor(request: Request): Promise<Actor | null> {
  return (await identifyRequest(await database(), request.headers))?.actor ?? null;
}

type Handler<C> = (request: Request, context: C, actor: Actor) => Promise<Response>;

/**
 * Wraps a route handler, the one server-side gate of the HTTP API: 401 without a session or token,
 * 403 when the actor's role is below `needed`, 403 for a cross-site state change made with the
 * session cookie (CSRF), 403 for a one-time password (admitRequest). Every state-changing request is
 * recorded in the audit log with the actor, an action derived from the route (or `audit.action`), its
 * subject and the request: written before the handler runs (no event, no change), marked committed
 * inside each transaction of the change (see lib/audit/write-ahead-audit), completed on success,
 * withdrawn when the handler refuses. A route whose change is one transaction of its own can instead
 * write its event in that transaction: withRoleInTransaction, the same gate.
 */
export function withRole<C>(needed: Role, handler: Handler<C>, audit?: RouteAudit): (request: Request, context: C) => Promise<Response> {
  return (request, context) => answeringFailures(request, () => guarded(needed, handler, audit, request, context));
}

async function guarded<C>(
  needed: Role,
  handler: Handler<C>,
  audit: RouteAudit | undefined,
  request: Request,
  context: C,
): Promise<Response> {
  const admission = await admitRequest(needed, request);
  if (!admission.admitted) return admission.response;
  const { db, actor, via, changes } = admission;
  if (!changes) return handler(request, context, actor);
  // JSON bodies are read here, once and bounded, so what the audit records is what the handler applies.
  const body = audit?.body === "upload" ? { ok: true as const, empty: true as const } : await readRequestBody(request);
  if (!body.ok) return body.response;
  const params = await subjectParams(context);
  const intent = await beginRequestAudit(db, { request, actor, via, params, body: body.empty ? null : body.value, audit });
  let response: Response | null = null;
  try {
    response = intent ? await runAudited(intent.ref, () => handler(request, context, actor)) : await handler(request, context, actor);
    return response;
  } finally {
    if (intent) {
      await finishRequestAudit(db, intent, response).catch((error: unknown) => {
        const where = `${request.method} ${new URL(request.url).pathname}`;
        process.stderr.write(`[audit] the result of event ${intent.id} (${where}) was not recorded: ${(error as Error).message}\n`);
      });
    }
  }
}
