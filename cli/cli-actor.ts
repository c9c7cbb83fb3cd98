import { connectDatabase, type Database } from "../lib/db/database";
import { roleAllows, type Actor, type Role } from "../lib/auth/roles";
import { actorForServiceToken } from "../lib/auth/service-tokens";
import { countUsers, verifyUserPassword } from "../lib/auth/users";
import type { AuditSubject } from "../lib/audit";
import { CommandError } from "./command";
import { operatorName } from "./operator";

/** Exit code of a command refused for want of credentials or role. */
export const FORBIDDEN_EXIT = 3;

interface CliSession {
  db: Promise<Database> | null;
  actor: Actor | null;
  /** The strongest role any check in this command asked for: above viewer, the command changes state. */
  needed: Role | null;
  subject: AuditSubject | null;
  details: Record<string, unknown>;
}

const session: CliSession = { db: null, actor: null, needed: null, subject: null, details: {} };

/** The database the identity checks and the audit hook use, opened once per command. */
function cliDatabase(): Promise<Database> {
  session.db ??= connectDatabase();
  return session.db;
}

async function resolveActor(db: Database, options: { bootstrap?: boolean }): Promise<Actor> {
  const token = process.env.FINEMED_TOKEN?.trim();
  if (token) {
    const actor = await actorForServiceToken(db, token);
    if (!actor) throw new CommandError("FINEMED_TOKEN is not a valid service token (unknown or revoked)", FORBIDDEN_EXIT);
    return actor;
  }
  const email = process.env.FINEMED_USER?.trim();
  if (email) {
    const password = process.env.FINEMED_PASSWORD;
    if (!password) throw new CommandError("FINEMED_USER needs FINEMED_PASSWORD (or use FINEMED_TOKEN)", FORBIDDEN_EXIT);
    const actor = await verifyUserPassword(db, email, password);
    if (!actor) throw new CommandError(`wrong email or password for ${email} (or the account is disabled)`, FORBIDDEN_EXIT);
    return actor;
  }
  if (options.bootstrap) {
    // A fresh database has nobody to sign in as: the first user or token may be made without credentials.
    const tokens = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM service_tokens");
    if ((await countUsers(db)) === 0 && tokens.rows[0]!.n === 0) return { name: `bootstrap:${operatorName()}`, role: "admin" };
  }
  throw new CommandError(
    "who is this? set FINEMED_TOKEN (a service token: finemed tokens create) or FINEMED_USER and FINEMED_PASSWORD",
    FORBIDDEN_EXIT,
  );
}

/**
 * Who runs this CLI command, checked against the role it needs: a service token (FINEMED_TOKEN) or a
 * user's email and password (FINEMED_USER + FINEMED_PASSWORD), verified in the database. A command
 * that needs more than viewer is a state change, and cli/main.ts records it in the audit log.
 * `bootstrap`: allowed without credentials while the database has no users and no tokens yet.
 */
export async function requireCliRole(needed: Role, options: { bootstrap?: boolean } = {}): Promise<Actor> {
  const db = await cliDatabase();
  const actor = session.actor ?? (await resolveActor(db, options));
  session.actor = actor;
  if (!roleAllows(actor.role, needed))
    throw new CommandError(`forbidden: this needs the ${needed} role; ${actor.name} is ${actor.role}`, FORBIDDEN_EXIT);
  if (session.needed === null || roleAllows(needed, session.needed)) session.needed = needed;
  return actor;
}

/** What the running command changed, for its audit event (the subject and counts the lib returned). */
export function noteCliAudit(subject: AuditSubject | null, details: Record<string, unknown> = {}): void {
  if (subject) session.subject = subject;
  Object.assign(session.details, details);
}

/** For cli/main.ts: the checked actor and what the command noted, then the database to record it in. */
export function cliAuditState(): {
  actor: Actor | null;
  changedState: boolean;
  subject: AuditSubject | null;
  details: Record<string, unknown>;
  db: Promise<Database> | null;
} {
  return {
    actor: session.actor,
    changedState: session.needed !== null && session.needed !== "viewer",
    subject: session.subject,
    details: session.details,
    db: session.db,
  };
}

export async function closeCliSession(): Promise<void> {
  const db = session.db;
  session.db = null;
  await (await db?.catch(() => null))?.close();
}
