// The user and service-token reads go through Prisma's client (issue 15): their views must stay what
// the SQL reads gave, JSON-safe (ISO strings, numbers, no Date or bigint) and in the same order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { countUsers, createUser, listUsers, setUserDisabled, verifyUserSignIn } from "../lib/auth/users";
import {
  actorForServiceToken,
  countServiceTokens,
  createServiceToken,
  listServiceTokens,
  revokeServiceToken,
} from "../lib/auth/service-tokens";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("user reads through Prisma", () => {
  it("lists users oldest first with the view's fields, counts them, and checks a sign-in", async () => {
    const before = await countUsers(db);
    const ada = await createUser(db, { email: "ada@crud.test", password: "ada-password", role: "approver" });
    const bob = await createUser(db, { email: "bob@crud.test", password: "bob-password", role: "viewer", mustChangePassword: true });
    const users = await listUsers(db);
    expect(users.slice(-2)).toEqual([ada, bob]);
    expect(users.at(-2)).toEqual({
      id: ada.id,
      name: "ada",
      email: "ada@crud.test",
      role: "approver",
      disabled: false,
      mustChangePassword: false,
      createdAt: expect.stringMatching(ISO),
    });
    expect(JSON.parse(JSON.stringify(users))).toEqual(users);
    expect(await countUsers(db)).toBe(before + 2);

    expect(await verifyUserSignIn(db, " ADA@crud.test ", "ada-password")).toEqual({
      actor: { name: "ada@crud.test", role: "approver" },
      userId: ada.id,
      mustChangePassword: false,
    });
    expect((await verifyUserSignIn(db, "bob@crud.test", "bob-password"))?.mustChangePassword).toBe(true);
    expect(await verifyUserSignIn(db, "ada@crud.test", "not-her-password")).toBeNull();
    expect(await verifyUserSignIn(db, "nobody@crud.test", "ada-password")).toBeNull();
    await setUserDisabled(db, bob.id, true);
    expect(await verifyUserSignIn(db, "bob@crud.test", "bob-password")).toBeNull();
  });
});

describe("service-token reads through Prisma", () => {
  it("lists live tokens before revoked ones, each oldest first, with ISO times and no secret", async () => {
    const before = await countServiceTokens(db);
    // created_at has millisecond precision: apart by a few, the order is the creation order.
    const made = async (name: string, role: "viewer" | "curator" | "admin") => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return createServiceToken(db, { name, role }, "ada@crud.test");
    };
    const first = await made("crud-first", "curator");
    const second = await made("crud-second", "viewer");
    const third = await made("crud-third", "admin");
    await revokeServiceToken(db, "crud-first");
    expect(await actorForServiceToken(db, second.token)).toEqual({ name: "crud-second", role: "viewer" });

    const tokens = await listServiceTokens(db);
    expect(tokens.map((token) => token.name)).toEqual(["crud-second", "crud-third", "crud-first"]);
    const used = tokens[0]!;
    expect(used).toEqual({
      id: second.view.id,
      name: "crud-second",
      role: "viewer",
      prefix: second.token.slice(0, 10),
      createdBy: "ada@crud.test",
      createdAt: second.view.createdAt,
      lastUsedAt: expect.stringMatching(ISO),
      revokedAt: null,
    });
    expect(tokens[1]).toEqual(third.view);
    expect(tokens[2]!.revokedAt).toMatch(ISO);
    expect(JSON.stringify(tokens)).not.toContain(first.token);
    expect(JSON.parse(JSON.stringify(tokens))).toEqual(tokens);

    const count = await countServiceTokens(db);
    expect(typeof count).toBe("number");
    expect(count).toBe(before + 3);
  });
});
