import { randomUUID } from "node:crypto";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import type pg from "pg";
import { z } from "zod";
import type { Database } from "../db/database";
import { inTransaction } from "../db/transaction";
import { queryRows } from "../db/checked-rows";
import { ROLES, type Actor, type Role } from "./roles";

export class UserError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

export const newUserSchema = z.object({
  email: z.email({ error: "a valid email address" }).trim().toLowerCase().max(320),
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(ROLES),
  password: z.string().min(8, { error: "a password has at least 8 characters" }).max(256),
  mustChangePassword: z.boolean().optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

const roleSchema = z.enum(ROLES);

// The writes read their RETURNING row with the same camelCase names as Prisma's model, so one view fits both.
const userRow = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.date(),
});

const COLUMNS = `id, name, email, role, disabled, must_change_password AS "mustChangePassword", created_at AS "createdAt"`;
// The same fields for Prisma's reads.
const USER_FIELDS = { id: true, name: true, email: true, role: true, disabled: true, mustChangePassword: true, createdAt: true } satisfies {
  [field in keyof z.output<typeof userRow>]: true;
};

/** A user as a RETURNING row or Prisma's model gives it; Prisma types `role` as any string, so it is checked here. */
interface UserRecord {
  id: string;
  name: string;
  email: string;
  role: string;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
}

function toView(user: UserRecord): UserView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: roleSchema.parse(user.role),
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
  };
}

/**
 * Creates a user with an email + password credential exactly as better-auth stores one (an account of
 * provider "credential" holding its scrypt hash), so the user signs in through better-auth.
 */
export async function createUser(db: Database, input: NewUser): Promise<UserView> {
  const user = newUserSchema.parse(input);
  const hash = await hashPassword(user.password);
  return inTransaction(db, async (client) => {
    const id = randomUUID();
    const [inserted] = await queryRows(
      client,
      userRow,
      `INSERT INTO users (id, name, email, role, must_change_password) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
      [id, user.name ?? user.email.split("@")[0], user.email, user.role, user.mustChangePassword ?? false],
    );
    if (!inserted) throw new UserError(`a user with the email ${user.email} exists already`, 409);
    await client.query(`INSERT INTO accounts (id, account_id, provider_id, user_id, password) VALUES ($1, $2, 'credential', $2, $3)`, [
      randomUUID(),
      id,
      hash,
    ]);
    return toView(inserted);
  });
}

export async function listUsers(db: Database): Promise<UserView[]> {
  const users = await db.prisma.user.findMany({ select: USER_FIELDS, orderBy: [{ createdAt: "asc" }, { email: "asc" }] });
  return users.map(toView);
}

export async function countUsers(db: Pick<Database, "prisma">): Promise<number> {
  return db.prisma.user.count();
}

async function updateUser(client: pg.ClientBase, id: string, set: string, values: unknown[]): Promise<UserView> {
  const [updated] = await queryRows(client, userRow, `UPDATE users SET ${set}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [
    id,
    ...values,
  ]);
  if (!updated) throw new UserError(`no user ${id}`, 404);
  return toView(updated);
}

/**
 * The last enabled admin cannot be demoted or disabled: the studio would have no one to manage it.
 * The admins are locked, so two admins demoting each other at once cannot both succeed.
 */
async function keepOneAdmin(client: pg.ClientBase, id: string): Promise<void> {
  const admins = await queryRows(
    client,
    z.object({ id: z.string() }),
    "SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE",
  );
  if (!admins.some((admin) => admin.id === id)) return;
  if (admins.length === 1) throw new UserError("this is the last enabled admin; make another admin first", 409);
}

// Each change is one transaction: the user row and what goes with it change together, and an audited
// request's event is marked committed in the same transaction (lib/audit/write-ahead-audit).
export async function setUserRole(db: Database, id: string, role: Role): Promise<UserView> {
  const checked = z.enum(ROLES).parse(role);
  return inTransaction(db, async (client) => {
    if (checked !== "admin") await keepOneAdmin(client, id);
    return updateUser(client, id, "role = $2", [checked]);
  });
}

/**
 * Disabling also ends the user's sessions and suspends the service tokens they made
 * (actorForServiceToken refuses them while the user is disabled), so the change takes effect at once.
 */
export async function setUserDisabled(db: Database, id: string, disabled: boolean): Promise<UserView> {
  return inTransaction(db, async (client) => {
    if (disabled) await keepOneAdmin(client, id);
    const user = await updateUser(client, id, "disabled = $2", [disabled]);
    if (disabled) await client.query("DELETE FROM sessions WHERE user_id = $1", [id]);
    return user;
  });
}

/** Replaces a user's password (better-auth's hash), clears the must-change flag and ends the user's sessions. */
export async function setUserPassword(db: Database, id: string, password: string): Promise<void> {
  const checked = newUserSchema.shape.password.parse(password);
  const hash = await hashPassword(checked);
  await inTransaction(db, async (client) => {
    const updated = await client.query(
      "UPDATE accounts SET password = $2, updated_at = now() WHERE user_id = $1 AND provider_id = 'credential'",
      [id, hash],
    );
    if (updated.rowCount === 0) throw new UserError(`no user ${id}`, 404);
    await client.query("UPDATE users SET must_change_password = false, updated_at = now() WHERE id = $1", [id]);
    // Whoever signed in with the old password is signed out.
    await client.query("DELETE FROM sessions WHERE user_id = $1", [id]);
  });
}

/** Ends every session of a user (an admin's "sign out everywhere"); the number ended. */
export async function endUserSessions(db: Database, id: string): Promise<number> {
  return inTransaction(db, async (client) => {
    const found = await client.query("SELECT 1 FROM users WHERE id = $1", [id]);
    if (found.rowCount === 0) throw new UserError(`no user ${id}`, 404);
    const ended = await client.query("DELETE FROM sessions WHERE user_id = $1", [id]);
    return ended.rowCount ?? 0;
  });
}

/** A CLI sign-in checked: the actor, the user's id, and whether the password is a one-time one still to be changed. */
export interface PasswordSignIn {
  actor: Actor;
  userId: string;
  mustChangePassword: boolean;
}

/** An email + password (the CLI's FINEMED_USER/FINEMED_PASSWORD), checked with better-auth's hash; null when wrong or disabled. */
export async function verifyUserSignIn(db: Pick<Database, "prisma">, email: string, password: string): Promise<PasswordSignIn | null> {
  const user = await db.prisma.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { ...USER_FIELDS, accounts: { where: { providerId: "credential" }, select: { password: true } } },
  });
  const hash = user?.accounts[0]?.password;
  if (!user || !hash || user.disabled) return null;
  if (!(await verifyPassword({ hash, password }))) return null;
  const view = toView(user);
  return { actor: { name: view.email, role: view.role }, userId: view.id, mustChangePassword: view.mustChangePassword };
}

/** The actor for an email + password, whatever the must-change flag (callers that gate on it use verifyUserSignIn). */
export async function verifyUserPassword(db: Pick<Database, "prisma">, email: string, password: string): Promise<Actor | null> {
  return (await verifyUserSignIn(db, email, password))?.actor ?? null;
}
