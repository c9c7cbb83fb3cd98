import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import type { Database } from "../lib/db/database";
import { authFor } from "../lib/auth/auth";
import { createUser, setUserDisabled } from "../lib/auth/users";
import { createServiceToken } from "../lib/auth/service-tokens";
import { identifyRequest } from "../lib/auth/request-identity";

/**
 * Issue 14, findings 5 and 9: disabling a user stops their tokens and sessions at once; a new password
 * ends the other sessions; a one-time password opens nothing but its own change; ending a session
 * that is not yours says so.
 */
const BASE = "http://studio.test";
let db: TestDatabase;
let address = 0;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  db = await openTestDatabase();
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
}, 120_000);

afterAll(async () => {
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  await db?.drop();
});

function auth(path: string, body: unknown, cookie?: string): Promise<Response> {
  address++;
  return authFor(db).handler(
    new Request(`${BASE}/api/auth/${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        "x-finemed-client-address": `192.0.2.${address}`,
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
}

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0]!)
    .join("; ");
}

async function signIn(email: string, password: string): Promise<string> {
  const response = await auth("sign-in/email", { email, password });
  expect(response.status, `sign-in of ${email}`).toBe(200);
  return cookieOf(response);
}

async function route(path: string): Promise<Record<string, Handler>> {
  return (await import(`../app/api/${path}/route`)) as Record<string, Handler>;
}

async function call(
  path: string,
  method: string,
  params: Record<string, string>,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Response> {
  const file = path.replace(/[0-9a-f-]{36}/g, "[id]");
  const handler = (await route(file))[method]!;
  const url = `${BASE}/api/${path}`;
  const init: RequestInit = {
    method,
    headers: { origin: BASE, ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  return handler(new Request(url, init), { params: Promise.resolve(params) });
}

async function sessionCount(email: string): Promise<number> {
  const found = await db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
    [email],
  );
  return found.rows[0]!.n;
}

describe("disabling a user", () => {
  it("suspends the tokens they made (401, so a disabled admin cannot re-enable itself) and ends their sessions", async () => {
    await createUser(db, { email: "keeper@example.org", password: "keeper-pass-1", role: "admin" });
    const rogue = await createUser(db, { email: "rogue@example.org", password: "rogue-pass-1", role: "admin" });
    const cookie = await signIn("rogue@example.org", "rogue-pass-1");
    const token = (await createServiceToken(db, { name: "rogue-ci", role: "admin" }, "rogue@example.org")).token;
    // A token made with that token: the chain leads back to the same user.
    const child = (await createServiceToken(db, { name: "rogue-ci-child", role: "admin" }, "rogue-ci")).token;
    expect((await call("users", "GET", {}, { authorization: `Bearer ${token}` })).status).toBe(200);

    await setUserDisabled(db, rogue.id, true);
    for (const bearer of [token, child]) {
      const reenable = await call(
        `users/${rogue.id}`,
        "PATCH",
        { id: rogue.id },
        { authorization: `Bearer ${bearer}` },
        { disabled: false },
      );
      expect(reenable.status).toBe(401);
      expect((await call("users", "GET", {}, { authorization: `Bearer ${bearer}` })).status).toBe(401);
    }
    expect((await call("users", "GET", {}, { cookie })).status).toBe(401);
    expect(await sessionCount("rogue@example.org")).toBe(0);
    const still = await db.pool.query<{ disabled: boolean }>("SELECT disabled FROM users WHERE id = $1", [rogue.id]);
    expect(still.rows[0]!.disabled).toBe(true);

    // Suspended, not revoked: enabled again by another admin, the tokens work again.
    await setUserDisabled(db, rogue.id, false);
    expect((await call("users", "GET", {}, { authorization: `Bearer ${token}` })).status).toBe(200);
  });
});

describe("passwords and sessions", () => {
  it("a password change ends the user's other sessions, whatever revokeOtherSessions says", async () => {
    await createUser(db, { email: "two@example.org", password: "two-pass-123", role: "viewer" });
    const laptop = await signIn("two@example.org", "two-pass-123");
    const phone = await signIn("two@example.org", "two-pass-123");
    const changed = await auth(
      "change-password",
      { currentPassword: "two-pass-123", newPassword: "two-pass-456", revokeOtherSessions: false },
      laptop,
    );
    expect(changed.status).toBe(200);
    expect(await identifyRequest(db, new Headers({ cookie: phone }))).toBeNull();
    expect(await identifyRequest(db, new Headers({ cookie: laptop }))).not.toBeNull();
    expect(await sessionCount("two@example.org")).toBe(1);
  });

  it("an admin's password reset ends all of the user's sessions", async () => {
    const user = await createUser(db, { email: "reset@example.org", password: "reset-pass-1", role: "viewer" });
    const session = await signIn("reset@example.org", "reset-pass-1");
    const admin = (await createServiceToken(db, { name: "reset-admin", role: "admin" }, "test")).token;
    const reset = await call(
      `users/${user.id}`,
      "PATCH",
      { id: user.id },
      { authorization: `Bearer ${admin}` },
      { password: "reset-pass-2" },
    );
    expect(reset.status).toBe(200);
    expect(await identifyRequest(db, new Headers({ cookie: session }))).toBeNull();
    expect(await sessionCount("reset@example.org")).toBe(0);
  });

  it("a one-time password opens nothing on the API but its own change", async () => {
    await createUser(db, { email: "fresh@example.org", password: "one-time-pass", role: "admin", mustChangePassword: true });
    const cookie = await signIn("fresh@example.org", "one-time-pass");
    for (const [path, method] of [
      ["runs", "GET"],
      ["users", "GET"],
      ["tokens", "POST"],
    ] as const) {
      const refused = await call(path, method, {}, { cookie }, method === "POST" ? { name: "sneaky", role: "admin" } : undefined);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toMatch(/change your one-time password first/);
    }
    const tokens = await db.pool.query("SELECT 1 FROM service_tokens WHERE name = 'sneaky'");
    expect(tokens.rowCount).toBe(0);
    const changed = await auth("change-password", { currentPassword: "one-time-pass", newPassword: "chosen-pass-1" }, cookie);
    expect(changed.status).toBe(200);
    expect((await call("users", "GET", {}, { cookie })).status).toBe(200);
  });

  it("revoking another user's session says why it cannot; an admin can end them", async () => {
    const owner = await createUser(db, { email: "owner@example.org", password: "owner-pass-1", role: "viewer" });
    await createUser(db, { email: "nosy@example.org", password: "nosy-pass-12", role: "viewer" });
    const ownerCookie = await signIn("owner@example.org", "owner-pass-1");
    const nosyCookie = await signIn("nosy@example.org", "nosy-pass-12");
    const ownerToken = (await db.pool.query<{ token: string }>("SELECT s.token FROM sessions s WHERE s.user_id = $1", [owner.id])).rows[0]!
      .token;
    const refused = await auth("revoke-session", { token: ownerToken }, nosyCookie);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { message: string }).message).toMatch(/you can end only your own/);
    expect(await identifyRequest(db, new Headers({ cookie: ownerCookie }))).not.toBeNull();
    // Your own session: revoked.
    const second = await signIn("owner@example.org", "owner-pass-1");
    const secondToken = decodeURIComponent(second.split("=")[1]!).split(".")[0]!;
    expect((await (await auth("revoke-session", { token: secondToken }, ownerCookie)).json()) as unknown).toEqual({ status: true });
    expect(await identifyRequest(db, new Headers({ cookie: second }))).toBeNull();
    // An admin signs the user out everywhere.
    const admin = (await createServiceToken(db, { name: "sessions-admin", role: "admin" }, "test")).token;
    const ended = await call(`users/${owner.id}/sessions`, "DELETE", { id: owner.id }, { authorization: `Bearer ${admin}` });
    expect(ended.status).toBe(200);
    expect((await ended.json()) as unknown).toEqual({ id: owner.id, endedSessions: 1 });
    expect(await identifyRequest(db, new Headers({ cookie: ownerCookie }))).toBeNull();
  });
});
