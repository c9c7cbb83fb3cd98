// The role matrix over every route handler of the HTTP API, called as Next calls them: without
// credentials (401), with a service token of each role (403 below the route's role, through above
// it), and with a session cookie from another origin (403, CSRF).
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import type { Database } from "../lib/db/database";
import { ROLES, roleAllows, type Role } from "../lib/auth/roles";
import { createServiceToken } from "../lib/auth/service-tokens";
import { createUser } from "../lib/auth/users";
import { authFor } from "../lib/auth/auth";
import { identifyRequest } from "../lib/auth/request-identity";

const BASE = "http://studio.test";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const NOBODY = "00000000-0000-4000-8000-000000000000";

/**
 * The documented role of each route (README): reads are viewer; imports, runs, relabels,
 * comparisons, prompts and dataset create/submit/export are curator; training is approver (dataset
 * approval is refused by the lib for curators, tested below); taxonomy, users and tokens are admin.
 * Routes added later default to viewer for GET and curator for changes, and at least must be guarded.
 */
const EXPECTED: Record<string, Role> = {
  "POST /api/taxonomy/departments": "admin",
  "PATCH /api/taxonomy/departments/[id]": "admin",
  "POST /api/taxonomy/departments/[id]/retire": "admin",
  "POST /api/taxonomy/merge": "admin",
  "GET /api/users": "admin",
  "POST /api/users": "admin",
  "PATCH /api/users/[id]": "admin",
  "DELETE /api/users/[id]/sessions": "admin",
  "GET /api/tokens": "admin",
  "POST /api/tokens": "admin",
  "POST /api/tokens/[id]/revoke": "admin",
  "GET /api/audit": "approver",
  // Cluster profiles hold where training runs (backends and cluster settings): admin.
  "PUT /api/training/profiles": "admin",
  // A retrieval sent as POST (the question in the body) is a read.
  "POST /api/ttt/retrieve": "viewer",
  // A lasso is a read: the selection is stored only so the table and focus mode can take it by id.
  "POST /api/map/selections": "viewer",
  // The job bundle and the Kubernetes manifests export the version first when it has no export yet.
  "GET /api/training/bundle": "curator",
  "GET /api/training/kubernetes": "curator",
  // Called here with the action "approve".
  "POST /api/datasets/[id]/[action]": "approver",
};

function expectedRole(method: string, route: string): Role {
  if (EXPECTED[`${method} ${route}`]) return EXPECTED[`${method} ${route}`]!;
  if (route.startsWith("/api/training") && method !== "GET") return "approver";
  return method === "GET" ? "viewer" : "curator";
}

interface RouteHandler {
  route: string;
  method: string;
  handler: (request: Request, context: unknown) => Promise<Response>;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return name === "route.ts" ? [path] : [];
  });
}

let db: TestDatabase;
const handlers: RouteHandler[] = [];
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  db = await openTestDatabase();
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
  for (const role of ROLES) tokens[role] = (await createServiceToken(db, { name: `matrix-${role}`, role }, "test")).token;
  const root = join(process.cwd(), "app/api");
  for (const file of routeFiles(root)) {
    const route = `/api/${relative(root, file).replace(/\/?route\.ts$/, "")}`;
    if (route.startsWith("/api/auth/")) continue; // better-auth's own endpoints
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) {
      if (typeof module[method] === "function") handlers.push({ route, method, handler: module[method] as RouteHandler["handler"] });
    }
  }
}, 240_000);

afterAll(async () => {
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  await db?.drop();
});

function call(entry: RouteHandler, headers: Record<string, string>): Promise<Response> {
  const path = entry.route.replace(/\[(\w+)\]/g, (_match, name: string) => (name === "action" ? "approve" : NOBODY));
  const params = Object.fromEntries(
    [...entry.route.matchAll(/\[(\w+)\]/g)].map(([, name]) => [name!, name === "action" ? "approve" : NOBODY]),
  );
  const init: RequestInit = { method: entry.method, headers };
  if (entry.method !== "GET") init.body = "{}";
  return entry.handler(new Request(`${BASE}${path}`, init), { params: Promise.resolve(params) });
}

describe("every route handler checks the caller on the server", () => {
  it("finds the API's route handlers", () => {
    expect(handlers.length).toBeGreaterThan(40);
    expect(handlers.map((h) => `${h.method} ${h.route}`)).toEqual(
      expect.arrayContaining([
        "POST /api/imports",
        "POST /api/labels/bulk",
        "POST /api/datasets/[id]/[action]",
        "PATCH /api/taxonomy/departments/[id]",
      ]),
    );
  });

  it("answers 401 to a request without a session or token, and to an unknown or malformed token", async () => {
    for (const entry of handlers) {
      expect((await call(entry, {})).status, `${entry.method} ${entry.route}`).toBe(401);
      expect((await call(entry, { authorization: "Bearer fm_not-a-real-token" })).status, `${entry.method} ${entry.route}`).toBe(401);
    }
  });

  it("answers 403 to every role below the route's role, and lets its role through", async () => {
    for (const entry of handlers) {
      const needed = expectedRole(entry.method, entry.route);
      for (const role of ROLES) {
        const response = await call(entry, {
          authorization: `Bearer ${tokens[role]}`,
          "content-type": "application/json",
          "content-length": "2",
        });
        const label = `${entry.method} ${entry.route} as ${role} (needs ${needed})`;
        if (roleAllows(role, needed)) expect([401, 403], label).not.toContain(response.status);
        else {
          expect(response.status, label).toBe(403);
          expect(((await response.json()) as { error: string }).error, label).toMatch(/needs the (viewer|curator|approver|admin) role/);
        }
      }
    }
  }, 240_000);
});

describe("sessions and CSRF", () => {
  let curatorCookie = "";
  let approverCookie = "";

  async function signIn(email: string, password: string): Promise<string> {
    const response = await authFor(db).handler(
      new Request(`${BASE}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE, "x-finemed-client-address": "10.1.0.1" },
        body: JSON.stringify({ email, password }),
      }),
    );
    expect(response.status).toBe(200);
    return response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0]!)
      .join("; ");
  }

  beforeAll(async () => {
    await createUser(db, { email: "curator@roles.test", password: "curator-password", role: "curator" });
    await createUser(db, { email: "approver@roles.test", password: "approver-password", role: "approver" });
    curatorCookie = await signIn("curator@roles.test", "curator-password");
    approverCookie = await signIn("approver@roles.test", "approver-password");
  });

  it("takes the role from the signed-in session", async () => {
    const { GET } = await import("../app/api/users/route");
    const asCurator = await GET(new Request(`${BASE}/api/users`, { headers: { cookie: curatorCookie } }), undefined);
    expect(asCurator.status).toBe(403);
    const { GET: audit } = await import("../app/api/audit/route");
    expect((await audit(new Request(`${BASE}/api/audit`, { headers: { cookie: approverCookie } }), undefined)).status).toBe(200);
  });

  it("refuses a cookie-authenticated change from another origin (CSRF) and accepts the same from the studio's own", async () => {
    const { POST } = await import("../app/api/prompts/route");
    const body = JSON.stringify({});
    const crossSite = await POST(
      new Request(`${BASE}/api/prompts`, {
        method: "POST",
        headers: { cookie: curatorCookie, origin: "http://evil.test", "content-type": "application/json" },
        body,
      }),
      undefined,
    );
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: string }).error).toMatch(/cross-site/);
    const fetchSite = await POST(
      new Request(`${BASE}/api/prompts`, {
        method: "POST",
        headers: { cookie: curatorCookie, "sec-fetch-site": "cross-site", "content-type": "application/json" },
        body,
      }),
      undefined,
    );
    expect(fetchSite.status).toBe(403);
    const sameSite = await POST(
      new Request(`${BASE}/api/prompts`, {
        method: "POST",
        headers: { cookie: curatorCookie, origin: BASE, host: "studio.test", "content-type": "application/json" },
        body,
      }),
      undefined,
    );
    expect(sameSite.status).toBe(400); // through the gate; the empty body is then refused
  });

  it("looks the session up on every request: revoked, expired, tampered or disabled is refused at once; a live one is refreshed", async () => {
    await createUser(db, { email: "lookup@roles.test", password: "lookup-password", role: "curator" });
    const cookie = await signIn("lookup@roles.test", "lookup-password");
    const who = async (header: string) => (await identifyRequest(db, new Headers({ cookie: header })))?.actor ?? null;
    expect(await who(cookie)).toEqual({ name: "lookup@roles.test", role: "curator" });
    const [name, value] = cookie.split("=") as [string, string];
    const [token, signature] = decodeURIComponent(value).split(".") as [string, string];
    // A signature spelled differently (a trailing character) or made for another token is not the session's.
    expect(await who(`${name}=${encodeURIComponent(`${token}.${signature}x`)}`)).toBeNull();
    expect(await who(`${name}=${encodeURIComponent(`${token.slice(0, -1)}A.${signature}`)}`)).toBeNull();
    expect(await who(`${name}=${token}`)).toBeNull();
    // Used a day after its last refresh: the expiry moves a full lifetime ahead.
    await db.pool.query(`UPDATE sessions SET expires_at = now() + interval '5 days' WHERE token = $1`, [token]);
    expect(await who(cookie)).not.toBeNull();
    const left = await db.pool.query<{ days: number }>(
      `SELECT extract(epoch FROM expires_at - now()) / 86400 AS days FROM sessions WHERE token = $1`,
      [token],
    );
    expect(Number(left.rows[0]!.days)).toBeGreaterThan(6.9);
    await db.pool.query(`UPDATE users SET role = 'viewer' WHERE email = 'lookup@roles.test'`);
    expect(await who(cookie)).toEqual({ name: "lookup@roles.test", role: "viewer" });
    await db.pool.query(`UPDATE users SET disabled = true WHERE email = 'lookup@roles.test'`);
    expect(await who(cookie)).toBeNull();
    await db.pool.query(`UPDATE users SET disabled = false WHERE email = 'lookup@roles.test'`);
    await db.pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token = $1`, [token]);
    expect(await who(cookie)).toBeNull();
    expect((await db.pool.query(`SELECT 1 FROM sessions WHERE token = $1`, [token])).rowCount).toBe(0);
    // A revoked session (signed out, ended by an admin) is refused on the very next request.
    const again = await signIn("lookup@roles.test", "lookup-password");
    expect(await who(again)).not.toBeNull();
    await db.pool.query(`DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'lookup@roles.test')`);
    expect(await who(again)).toBeNull();
  });

  it("lets a curator submit a dataset version but not approve it (the lib refuses: 403)", async () => {
    const { POST } = await import("../app/api/datasets/[id]/[action]/route");
    const approve = await POST(
      new Request(`${BASE}/api/datasets/${NOBODY}/approve`, { method: "POST", headers: { authorization: `Bearer ${tokens.curator}` } }),
      { params: Promise.resolve({ id: NOBODY, action: "approve" }) },
    );
    // The version does not exist (404) or the curator is refused (403): never approved.
    expect([403, 404]).toContain(approve.status);
  });
});
