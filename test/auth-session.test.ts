import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { authFor } from "../lib/auth/auth";
import { createUser, setUserDisabled } from "../lib/auth/users";
import { identifyRequest } from "../lib/auth/request-identity";

let db: TestDatabase;
const ORIGIN = "http://studio.test";

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  db = await openTestDatabase();
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

function signIn(email: string, password: string, ip = "10.0.0.1"): Promise<Response> {
  return authFor(db).handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0]!)
    .join("; ");
}

describe("sign-in with better-auth on the studio's database", () => {
  it("signs a user in with email + password, stores the session in PostgreSQL and resolves it to the user's role", async () => {
    await createUser(db, { email: "cora@example.org", password: "curator-pass-1", role: "curator" });
    const response = await signIn("cora@example.org", "curator-pass-1");
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const stored = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1", ["cora@example.org"]);
    expect(stored.rows[0]!.n).toBe(1);
    const hash = await db.pool.query<{ password: string }>("SELECT a.password FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = $1", ["cora@example.org"]);
    expect(hash.rows[0]!.password).not.toContain("curator-pass-1");
    const identity = await identifyRequest(db, new Headers({ cookie: cookieOf(response) }));
    expect(identity).toEqual({ actor: { name: "cora@example.org", role: "curator" }, via: "web" });
  });

  it("refuses a wrong password and a disabled user", async () => {
    expect((await signIn("cora@example.org", "wrong-password", "10.0.0.2")).status).toBe(401);
    const user = await createUser(db, { email: "gone@example.org", password: "gone-pass-123", role: "viewer" });
    const before = await signIn("gone@example.org", "gone-pass-123", "10.0.0.3");
    expect(before.status).toBe(200);
    await setUserDisabled(db, user.id, true);
    expect(await identifyRequest(db, new Headers({ cookie: cookieOf(before) }))).toBeNull();
    expect((await signIn("gone@example.org", "gone-pass-123", "10.0.0.3")).status).toBe(403);
  });
});
