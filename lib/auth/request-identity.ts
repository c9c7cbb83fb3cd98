import type { AuditVia } from "../audit";
import type { Database } from "../db/database";
import { ROLES, type Actor, type Role } from "./roles";
import { sessionUser } from "./session-lookup";
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
  const cookie = headers.get("cookie");
  if (!cookie) return null;
  // One statement (session-lookup), not better-auth's getSession: the same checks, one round trip.
  const user = await sessionUser(db, cookie);
  if (!user || user.disabled) return null;
  return { actor: { name: user.email, role: asRole(user.role) }, via: "web", mustChangePassword: user.mustChangePassword };
}

/** The studio's own origin as the browser sees it: scheme, host and port (through a proxy, its X-Forwarded-*). */
function studioOrigin(request: Request): string {
  const url = new URL(request.url);
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]!.trim() || url.protocol.replace(/:$/, "");
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]!.trim() || request.headers.get("host") || url.host;
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return url.origin;
  }
}

/**
 * CSRF: a state-changing request made with the session cookie must come from the studio's own pages.
 * Browsers send Origin (and Sec-Fetch-Site) on such requests, and a Referer when they leave Origin
 * out; the full origin (scheme, host, port) must be the studio's. A client that sends none of them is
 * not a browser, so it cannot be a forged cross-site request. SameSite=Lax cookies are the second layer,
 * and JSON routes refuse text/plain bodies (the one type a cross-site page can send without a preflight).
 */
export function crossSiteRefusal(request: Request): string | null {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return `cross-site request refused (Sec-Fetch-Site: ${fetchSite})`;
  const origin = request.headers.get("origin");
  const referer = origin === null ? request.headers.get("referer") : null;
  const claimed = origin ?? referer;
  if (claimed === null) return null;
  const header = origin !== null ? "Origin" : "Referer";
  let claimedOrigin: string;
  try {
    claimedOrigin = new URL(claimed).origin;
  } catch {
    return `cross-site request refused (malformed ${header})`;
  }
  const own = studioOrigin(request);
  // An opaque origin ("null": a sandboxed frame, a file: page) is never the studio's.
  if (claimedOrigin === "null") return `cross-site request refused (${header} ${claimed} is not ${own})`;
  return claimedOrigin === own ? null : `cross-site request refused (${header} ${claimedOrigin} is not ${own})`;
}
