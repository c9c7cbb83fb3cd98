import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { authFor } from "../lib/auth/auth";
import { createUser, setUserDisabled } from "../lib/auth/users";
import { identifyRequest } from "../lib/auth/request-identity";
import { signInRateLimit } from "../lib/auth/sign-in-rate-limit";
import { ensureFirstAdmin, firstAdminHint } from "../lib/auth/first-admin";
import { verifyUserPassword } from "../lib/auth/users";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
      headers: { "content-type": "application/json", origin: ORIGIN, "x-finemed-client-address": ip },
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
    const stored = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
      ["cora@example.org"],
    );
    expect(stored.rows[0]!.n).toBe(1);
    const hash = await db.pool.query<{ password: string }>(
      "SELECT a.password FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = $1",
      ["cora@example.org"],
    );
    expect(hash.rows[0]!.password).not.toContain("curator-pass-1");
    const identity = await identifyRequest(db, new Headers({ cookie: cookieOf(response) }));
    expect(identity).toEqual({ actor: { name: "cora@example.org", role: "curator" }, via: "web", mustChangePassword: false });
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

  it("rate-limits sign-in per client address: the attempt after the limit in a window gets 429, another address is unaffected", async () => {
    const { max } = signInRateLimit();
    const ip = "10.9.9.9";
    // Each guess at another account, so the per-account limit (security-a-sign-in.test.ts) stays out of it.
    for (let attempt = 1; attempt <= max; attempt++) {
      expect((await signIn(`guess-${attempt}@example.org`, `wrong-${attempt}`, ip)).status, `attempt ${attempt}`).toBe(401);
    }
    const limited = await signIn("cora@example.org", "curator-pass-1", ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThan(0);
    // Kept in PostgreSQL (shared by every web process).
    const counters = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE $1", [`%${ip}%`]);
    expect(counters.rows[0]!.n).toBe(1);
    expect((await signIn("cora@example.org", "curator-pass-1", "10.9.9.10")).status).toBe(200);
  });

  it("clears the must-change flag when the user changes the password, and the old password stops working", async () => {
    await createUser(db, { email: "first@example.org", password: "one-time-pass", role: "admin", mustChangePassword: true });
    const signedIn = await signIn("first@example.org", "one-time-pass", "10.0.0.7");
    const cookie = cookieOf(signedIn);
    expect((await identifyRequest(db, new Headers({ cookie })))?.mustChangePassword).toBe(true);
    const changed = await authFor(db).handler(
      new Request(`${ORIGIN}/api/auth/change-password`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, cookie, "x-finemed-client-address": "10.0.0.7" },
        body: JSON.stringify({ currentPassword: "one-time-pass", newPassword: "my-own-password", revokeOtherSessions: true }),
      }),
    );
    expect(changed.status).toBe(200);
    const flag = await db.pool.query<{ must: boolean }>("SELECT must_change_password AS must FROM users WHERE email = 'first@example.org'");
    expect(flag.rows[0]!.must).toBe(false);
    expect((await signIn("first@example.org", "one-time-pass", "10.0.0.8")).status).toBe(401);
    expect((await signIn("first@example.org", "my-own-password", "10.0.0.8")).status).toBe(200);
  });

  it("refuses a sign-in posted from another origin (better-auth's CSRF check)", async () => {
    const response = await authFor(db).handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "http://evil.test",
          "x-finemed-client-address": "10.0.0.20",
          cookie: "finemed.session_token=x",
        },
        body: JSON.stringify({ email: "cora@example.org", password: "curator-pass-1" }),
      }),
    );
    expect(response.status).toBe(403);
  });
});

describe("the first admin", () => {
  it("is created once, from FINEMED_ADMIN_EMAIL/PASSWORD when set, else admin@finemed.local with a one-time password in a 0600 file", async () => {
    const fresh = await openTestDatabase();
    const home = mkdtempSync(join(tmpdir(), "finemed-first-admin-"));
    const previous = process.env.FINEMED_HOME;
    process.env.FINEMED_HOME = home;
    try {
      const created = await ensureFirstAdmin(fresh, {});
      expect(created).toMatchObject({ email: "admin@finemed.local", passwordFile: join(home, "first-admin-password") });
      expect(readFileSync(join(home, "first-admin-password"), "utf8").trim()).toBe(created!.generatedPassword);
      expect(statSync(join(home, "first-admin-password")).mode & 0o777).toBe(0o600);
      expect(await firstAdminHint(fresh)).toEqual({ email: "admin@finemed.local", passwordFile: join(home, "first-admin-password") });
      expect(await verifyUserPassword(fresh, "admin@finemed.local", created!.generatedPassword!)).toEqual({
        name: "admin@finemed.local",
        role: "admin",
      });
      expect(await ensureFirstAdmin(fresh, {})).toBeNull();
      const fromEnv = await openTestDatabase();
      try {
        expect(
          await ensureFirstAdmin(fromEnv, { FINEMED_ADMIN_EMAIL: "boss@example.org", FINEMED_ADMIN_PASSWORD: "boss-password" }),
        ).toEqual({ email: "boss@example.org", generatedPassword: null, passwordFile: null });
        expect(await verifyUserPassword(fromEnv, "boss@example.org", "boss-password")).toEqual({ name: "boss@example.org", role: "admin" });
        expect(await firstAdminHint(fromEnv)).toBeNull();
      } finally {
        await fromEnv.drop();
      }
    } finally {
      if (previous === undefined) delete process.env.FINEMED_HOME;
      else process.env.FINEMED_HOME = previous;
      await fresh.drop();
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
