// CLI identity: every command runs as a service token (FINEMED_TOKEN) or a user (FINEMED_USER +
// FINEMED_PASSWORD, checked with better-auth's hash) and checks its role; a fresh database lets the
// first user or token be made without credentials, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { runCli } from "./support/cli";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const nobody = () => ({
  ...db.childEnv,
  FINEMED_TOKEN: undefined,
  FINEMED_USER: undefined,
  FINEMED_PASSWORD: undefined,
  FINEMED_NEW_PASSWORD: undefined,
});
const clean = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;

describe("finemed as a named user or a service token", () => {
  let adminToken = "";

  it("bootstraps a fresh database: the first token needs no credentials, the second does", async () => {
    const refused = await runCli(["corpora"], { ...clean(nobody()), FINEMED_TOKEN: "" });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/set FINEMED_TOKEN .* or FINEMED_USER and FINEMED_PASSWORD/);
    const first = await runCli(["tokens", "create", "--name", "ops", "--role", "admin", "--json"], {
      ...clean(nobody()),
      FINEMED_TOKEN: "",
    });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    adminToken = (JSON.parse(first.stdout) as { token: string }).token;
    expect(adminToken).toMatch(/^fm_/);
    const second = await runCli(["tokens", "create", "--name", "sneaky", "--role", "admin"], { ...clean(nobody()), FINEMED_TOKEN: "" });
    expect(second.code).toBe(3);
  }, 60_000);

  it("creates users with the admin token; a user signs the CLI in with email and password and gets that role", async () => {
    const admin = { ...db.childEnv, FINEMED_TOKEN: adminToken };
    const created = await runCli(["users", "create", "--email", "vera@cli.test", "--role", "viewer", "--json"], {
      ...admin,
      FINEMED_NEW_PASSWORD: "vera-password",
    });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ user: { email: "vera@cli.test", role: "viewer", disabled: false } });
    const asVera = { ...clean(nobody()), FINEMED_USER: "vera@cli.test", FINEMED_PASSWORD: "vera-password" };
    expect((await runCli(["corpora", "--json"], asVera)).code).toBe(0);
    const forbidden = await runCli(["dataset", "create", "--name", "x", "--run", "00000000-0000-4000-8000-000000000000"], asVera);
    expect(forbidden.code).toBe(3);
    expect(forbidden.stderr).toContain("needs the curator role; vera@cli.test is viewer");
    const wrong = await runCli(["corpora"], { ...asVera, FINEMED_PASSWORD: "not-her-password" });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain("wrong email or password");
    // Promoted, she may; disabled, she may not sign in at all.
    expect((await runCli(["users", "role", "vera@cli.test", "--role", "curator"], admin)).code).toBe(0);
    const promoted = await runCli(["dataset", "create", "--name", "x", "--run", "00000000-0000-4000-8000-000000000000"], asVera);
    expect(promoted.stderr).not.toContain("forbidden");
    expect((await runCli(["users", "disable", "vera@cli.test"], admin)).code).toBe(0);
    expect((await runCli(["corpora"], asVera)).code).toBe(3);
    // Only admins manage users.
    expect((await runCli(["users", "list"], { ...asVera, FINEMED_USER: "vera@cli.test" })).code).toBe(3);
  }, 120_000);

  it("refuses a revoked token at once, and never lists a token's secret", async () => {
    const admin = { ...db.childEnv, FINEMED_TOKEN: adminToken };
    const made = await runCli(["tokens", "create", "--name", "ci", "--role", "curator", "--json"], admin);
    const ci = (JSON.parse(made.stdout) as { token: string }).token;
    expect((await runCli(["corpora"], { ...db.childEnv, FINEMED_TOKEN: ci })).code).toBe(0);
    const listed = await runCli(["tokens", "list", "--json"], admin);
    expect(listed.stdout).not.toContain(ci);
    expect(listed.stdout).toContain(ci.slice(0, 10));
    expect((await runCli(["tokens", "revoke", "ci"], admin)).code).toBe(0);
    const revoked = await runCli(["corpora"], { ...db.childEnv, FINEMED_TOKEN: ci });
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toContain("not a valid service token");
    const audit = await db.pool.query<{ action: string; actor: string }>(
      "SELECT action, actor FROM audit_events WHERE via = 'cli' ORDER BY id",
    );
    // The bootstrap token was made by nobody in particular: recorded as "bootstrap:cli:<os user>".
    expect(audit.rows[0]!.action).toBe("tokens.create");
    expect(audit.rows[0]!.actor).toMatch(/^bootstrap:/);
    expect(audit.rows).toEqual(
      expect.arrayContaining([
        { action: "users.create", actor: "ops" },
        { action: "users.role", actor: "ops" },
        { action: "users.disable", actor: "ops" },
        { action: "tokens.revoke", actor: "ops" },
      ]),
    );
  }, 120_000);

  it("a one-time password runs nothing but its own change, which then opens every command", async () => {
    const admin = { ...db.childEnv, FINEMED_TOKEN: adminToken };
    const created = await runCli(["users", "create", "--email", "otto@cli.test", "--role", "admin", "--json"], {
      ...clean(nobody()),
      ...admin,
    });
    expect(created.code).toBe(0);
    const oneTime = (JSON.parse(created.stdout) as { password: string }).password;
    const asOtto = { ...clean(nobody()), FINEMED_USER: "otto@cli.test", FINEMED_PASSWORD: oneTime };
    for (const command of [["corpora"], ["users", "list"], ["tokens", "create", "--name", "otto-escape", "--role", "admin"]]) {
      const refused = await runCli(command, asOtto);
      expect(refused.code, command.join(" ")).toBe(3);
      expect(refused.stderr).toContain("otto@cli.test still has a one-time password: change it first");
      expect(refused.stderr).toContain("FINEMED_NEW_PASSWORD=<new password> finemed users password");
    }
    expect((await runCli(["tokens", "list", "--json"], admin)).stdout).not.toContain("otto-escape");
    // The change itself: a missing or unchanged new password is refused, a new one accepted.
    expect((await runCli(["users", "password"], asOtto)).code).toBe(2);
    expect((await runCli(["users", "password"], { ...asOtto, FINEMED_NEW_PASSWORD: oneTime })).code).toBe(2);
    const changed = await runCli(["users", "password"], { ...asOtto, FINEMED_NEW_PASSWORD: "otto-chosen-password" });
    expect(changed.stderr).toBe("");
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain("password changed for otto@cli.test");
    expect((await runCli(["corpora"], asOtto)).code).toBe(3);
    const asOttoNow = { ...asOtto, FINEMED_PASSWORD: "otto-chosen-password" };
    expect((await runCli(["corpora", "--json"], asOttoNow)).code).toBe(0);
    expect((await runCli(["users", "list", "--json"], asOttoNow)).code).toBe(0);
    const audit = await db.pool.query<{ actor: string; details: { argv: string[] } }>(
      "SELECT actor, details FROM audit_events WHERE action = 'users.password'",
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.actor).toBe("otto@cli.test");
    expect(JSON.stringify(audit.rows[0]!.details)).not.toContain("otto-chosen-password");
  }, 120_000);
});
