import { NextResponse } from "next/server";
import { database } from "../db/database";
import { isQueryTimeout, queryTimeoutReason } from "../db/query-timeout";
import { auditableBody, auditRequest, subjectParams, type RouteAudit } from "./request-audit";
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
 * session cookie (CSRF). Every successful state-changing request is recorded in the audit log with
 * the actor, an action derived from the route (or `audit.action`), its subject and the request.
 */
export function withRole<C>(needed: Role, handler: Handler<C>, audit?: RouteAudit): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      return await guarded(needed, handler, audit, request, context);
    } catch (error) {
      // Any route: a query stopped by the web pool's statement_timeout is a 503 with the reason, not a 500.
      if (isQueryTimeout(error)) return NextResponse.json({ error: queryTimeoutReason() }, { status: 503, headers: { "retry-after": "5" } });
      throw error;
    }
  };
}

async function guarded<C>(needed: Role, handler: Handler<C>, audit: RouteAudit | undefined, request: Request, context: C): Promise<Response> {
  const db = await database();
  const identity = await identifyRequest(db, request.headers);
  if (!identity) return NextResponse.json({ error: "sign in first (or send Authorization: Bearer <service token>)" }, { status: 401 });
  const { actor, via } = identity;
  // A one-time password opens nothing but its own change (better-auth's /api/auth/change-password, not wrapped here).
  if (identity.mustChangePassword) {
    const reason = "change your one-time password first (Account page, or POST /api/auth/change-password)";
    return NextResponse.json({ error: reason }, { status: 403 });
  }
  const changes = !SAFE_METHODS.has(request.method);
  if (changes && via === "web") {
    const refusal = crossSiteRefusal(request);
    if (refusal) return NextResponse.json({ error: refusal }, { status: 403 });
  }
  if (!roleAllows(actor.role, needed)) {
    return NextResponse.json({ error: `forbidden: this needs the ${needed} role; ${actor.name} is ${actor.role}` }, { status: 403 });
  }
  if (!changes) return handler(request, context, actor);
  const body = auditableBody(request);
  const response = await handler(request, context, actor);
  if (response.status < 400) {
    await auditRequest(db, { request, response, actor, via, params: await subjectParams(context), body: await body, audit }).catch((error: unknown) =>
      process.stderr.write(`[audit] could not record ${request.method} ${new URL(request.url).pathname}: ${(error as Error).message}\n`),
    );
  }
  return response;
}
