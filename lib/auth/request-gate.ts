import type { AuditVia } from "../audit";
import { database, type Database } from "../db/database";
import { databaseErrorResponse } from "../http/database-errors";
import { crossSiteRefusal, identifyRequest } from "./request-identity";
import { roleAllows, type Actor, type Role } from "./roles";

// The checks of the one server-side gate, shared by withRole and withRoleInTransaction: whichever way a
// route audits its change, who may call it is decided here, once, so a new refusal reaches every route.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Admission =
  | { admitted: false; response: Response }
  | { admitted: true; db: Database; actor: Actor; via: Extract<AuditVia, "web" | "api">; changes: boolean };

/**
 * 401 without a session or token; 403 for a one-time password, for a cross-site state change made with
 * the session cookie (CSRF), and for a role below `needed`. Admitted: who is calling, and whether the
 * request is a state change (anything but GET, HEAD, OPTIONS).
 */
export async function admitRequest(needed: Role, request: Request): Promise<Admission> {
  const db = await database();
  const identity = await identifyRequest(db, request.headers);
  if (!identity) return refuse(401, "sign in first (or send Authorization: Bearer <service token>)");
  const { actor, via } = identity;
  // A one-time password opens nothing but its own change (better-auth's /api/auth/change-password, not wrapped here).
  if (identity.mustChangePassword)
    return refuse(403, "change your one-time password first (Account page, or POST /api/auth/change-password)");
  const changes = !SAFE_METHODS.has(request.method);
  if (changes && via === "web") {
    const refusal = crossSiteRefusal(request);
    if (refusal) return refuse(403, refusal);
  }
  if (!roleAllows(actor.role, needed)) return refuse(403, `forbidden: this needs the ${needed} role; ${actor.name} is ${actor.role}`);
  return { admitted: true, db, actor, via, changes };
}

function refuse(status: number, error: string): Admission {
  return { admitted: false, response: Response.json({ error }, { status }) };
}

/**
 * Any gated route: a query stopped by the statement_timeout is a 503, a lost race a 409, a value the
 * database refuses a 400, each with the reason; anything else a 500 that still says what happened.
 */
export async function answeringFailures(request: Request, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    const answer = databaseErrorResponse(error);
    if (answer) return answer;
    const where = `${request.method} ${new URL(request.url).pathname}`;
    process.stderr.write(`[api] ${where} failed: ${(error as Error)?.stack ?? String(error)}\n`);
    const reason = "the studio could not complete this request (an internal error; the server log has the details)";
    return Response.json({ error: reason }, { status: 500 });
  }
}
