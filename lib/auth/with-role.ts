import { database } from "../db/database";
import { databaseErrorResponse } from "../http/database-errors";
import { readRequestBody } from "../http/json-body";
import { runAudited } from "../audit";
import { beginRequestAudit, finishRequestAudit, subjectParams, type RouteAudit } from "./request-audit";
import { crossSiteRefusal, identifyRequest } from "./request-identity";
import { roleAllows, type Actor, type Role } from "./roles";

/** Who is calling: the signed-in session (cookie) or a service token (Authorization: Bearer); null when neither. */
export async function requestActor(request: Request): Promise<Actor | null> {
  return (await identifyRequest(await database(), request.headers))?.actor ?? null;
}

type Handler<C> = (request: Request, context: C, actor: Actor) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Wraps a route handler, the one server-side gate of the HTTP API: 401 without a session or token,
 * 403 when the actor's role is below `needed`, 403 for a cross-site state change made with the
 * session cookie (CSRF). Every state-changing request is recorded in the audit log with the actor, an
 * action derived from the route (or `audit.action`), its subject and the request: written before the
 * handler runs (no event, no change), marked committed inside each transaction of the change (see
 * lib/audit/write-ahead-audit), completed on success, withdrawn when the handler refuses.
 */
export function withRole<C>(needed: Role, handler: Handler<C>, audit?: RouteAudit): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      return await guarded(needed, handler, audit, request, context);
    } catch (error) {
      // Any route: a query stopped by the statement_timeout is a 503, a lost race a 409, a value the
      // database refuses a 400, each with the reason; anything else a 500 that still says what happened.
      const answer = databaseErrorResponse(error);
      if (answer) return answer;
      const where = `${request.method} ${new URL(request.url).pathname}`;
      process.stderr.write(`[api] ${where} failed: ${(error as Error)?.stack ?? String(error)}\n`);
      const reason = "the studio could not complete this request (an internal error; the server log has the details)";
      return Response.json({ error: reason }, { status: 500 });
    }
  };
}

async function guarded<C>(
  needed: Role,
  handler: Handler<C>,
  audit: RouteAudit | undefined,
  request: Request,
  context: C,
): Promise<Response> {
  const db = await database();
  const identity = await identifyRequest(db, request.headers);
  if (!identity) return Response.json({ error: "sign in first (or send Authorization: Bearer <service token>)" }, { status: 401 });
  const { actor, via } = identity;
  // A one-time password opens nothing but its own change (better-auth's /api/auth/change-password, not wrapped here).
  if (identity.mustChangePassword) {
    const reason = "change your one-time password first (Account page, or POST /api/auth/change-password)";
    return Response.json({ error: reason }, { status: 403 });
  }
  const changes = !SAFE_METHODS.has(request.method);
  if (changes && via === "web") {
    const refusal = crossSiteRefusal(request);
    if (refusal) return Response.json({ error: refusal }, { status: 403 });
  }
  if (!roleAllows(actor.role, needed)) {
    return Response.json({ error: `forbidden: this needs the ${needed} role; ${actor.name} is ${actor.role}` }, { status: 403 });
  }
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
