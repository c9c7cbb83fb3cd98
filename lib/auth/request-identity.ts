import type { AuditVia } from "../audit";
import type { Database } from "../db/database";
import { authFor } from "./auth";
import { ROLES, type Actor, type Role } from "./roles";
import { actorForServiceToken } from "./service-tokens";

export interface RequestIdentity {
  actor: Actor;
  /** "web" for a browser session (cookie, CSRF-checked), "api" for a service token (Bearer). */
  via: Extract<AuditVia, "web" | "api">;
  /** A user still on a generated one-time password. */
  mustChangePassword: boolean;
}

function asRole(value: unknown): Role {
  return (ROLES as readonly unknown[]).includes(value) ? (value as Role) : "viewer";
}

/** Who sent a request: a service token in Authorization: Bearer, else the better-auth session cookie. */
export async function identifyRequest(db: Database, headers: Headers): Promise<RequestIdentity | null> {
  const authorization = headers.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const actor = await actorForServiceToken(db, authorization.slice(7).trim());
    return actor ? { actor, via: "api", mustChangePassword: false } : null;
  }
  if (!headers.get("cookie")) return null;
  const session = await authFor(db).api.getSession({ headers });
  if (!session || session.user.disabled === true) return null;
  return { actor: { name: session.user.email, role: asRole(session.user.role) }, via: "web", mustChangePassword: session.user.mustChangePassword === true };
}

/**
 * CSRF: a state-changing request made with the session cookie must come from the studio's own pages.
 * Browsers send Origin (and Sec-Fetch-Site) on such requests; a client that sends neither is not a
 * browser, so it cannot be a forged cross-site request. SameSite=Lax cookies are the second layer.
 */
export function crossSiteRefusal(request: Request): string | null {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return `cross-site request refused (Sec-Fetch-Site: ${fetchSite})`;
  const origin = request.headers.get("origin");
  if (!origin) return null;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return "cross-site request refused (malformed Origin)";
  }
  return originHost === host ? null : `cross-site request refused (Origin ${origin} is not ${host})`;
}
