import { connectDatabase, type Database } from "../lib/db/database";
import { roleAllows, type Actor, type Role } from "../lib/auth/roles";
import { actorForServiceToken, countServiceTokens } from "../lib/auth/service-tokens";
import { countUsers, verifyUserSignIn } from "../lib/auth/users";
import { beginAuditEvent, type AuditIntentRef, type AuditSubject } from "../lib/audit";
import { CommandError } from "./command";
import { operatorName } from "./operator";

/** Exit code of a command refused for want of credentials or role. */
export const FORBIDDEN_EXIT = 3;

interface CliSession {
  db: Promise<Database> | null;
  actor: Actor | null;
  /** The strongest role any check in this command asked for: above viewer, the command changes state. */
  needed: Role | null;
  /** The signed-in user's id (FINEMED_USER), null for a service token or the bootstrap. */
  userId: string | null;
  /** The user is on a one-time password: only its change is allowed. */
  mustChangePassword: boolean;
  /** A command that changes state without needing more than viewer (a user's own password). */
  changes: boolean;
  subject: AuditSubject | null;
  details: Record<string, unknown>;
  /** The command as typed (its action and masked arguments), for the event written ahead of its change. */
  command: { action: string; argv: string[] } | null;
  /** That event, written at the first check that lets the command change state. */
  intent: AuditIntentRef;
}

const session: CliSession = {
  db: null,
  actor: null,
  needed: null,
  userId: null,
  mustChangePassword: false,
  changes: false,
  subject: null,
  details: {},
  command: null,
  intent: { id: null, open: true },
};

/** Arguments as recorded: values of credential-like options masked. */
function recordedArguments(argv: string[]): string[] {
  return argv.map((value, index) => (index > 0 && /^--?[\w-]*(pass|token|secret|key)/i.test(argv[index - 1]!) ? "***" : value));
}

/**
 * For cli/main.ts, before the command runs: what its audit event will name. The event's ref is what
 * runAudited needs, so the command's transactions mark the event committed with them.
 */
export function beginCliCommand(name: string, argv: string[]): AuditIntentRef {
  const action = argv[0] && /^[a-z][a-z-]*$/.test(argv[0]) ? `${name}.${argv[0]}` : name;
  session.command = { action, argv: recordedArguments(argv) };
  return session.intent;
}

/**
 * A check that lets the command change state writes its audit event ahead, before any change: if it
 * cannot be written, the command stops here (see lib/audit/write-ahead-audit).
 */
async function writeIntentAhead(db: Database, actor: Actor, subjectType: string): Promise<void> {
  if (session.intent.id !== null || !session.command) return;
  session.intent.id = await beginAuditEvent(db, {
    actor,
    action: session.command.action,
    subject: { type: subjectType },
    details: { argv: session.command.argv },
    via: "cli",
  });
}

/** The exact command that changes a one-time password, for the refusal of every other command. */
export const ONE_TIME_PASSWORD_CHANGE =
  "FINEMED_USER=<email> FINEMED_PASSWORD=<one-time password> FINEMED_NEW_PASSWORD=<new password> finemed users password";

/** The database the identity checks and the audit hook use, opened once per command. */
function cliDatabase(): Promise<Database> {
  session.db ??= connectDatabase();
  return session.db;
}

interface ResolvedActor {
  actor: Actor;
  userId: string | null;
  mustChangePassword: boolean;
}

async function resolveActor(db: Database, options: { bootstrap?: boolean }): Promise<ResolvedActor> {
  const token = process.env.FINEMED_TOKEN?.trim();
  if (token) {
    const actor = await actorForServiceToken(db, token);
    if (!actor) throw new CommandError("FINEMED_TOKEN is not a valid service token (unknown or revoked)", FORBIDDEN_EXIT);
    return { actor, userId: null, mustChangePassword: false };
  }
  const email = process.env.FINEMED_USER?.trim();
  if (email) {
    const password = process.env.FINEMED_PASSWORD;
    if (!password) throw new CommandError("FINEMED_USER needs FINEMED_PASSWORD (or use FINEMED_TOKEN)", FORBIDDEN_EXIT);
    const signedIn = await verifyUserSignIn(db, email, password);
    if (!signedIn) throw new CommandError(`wrong email or password for ${email} (or the account is disabled)`, FORBIDDEN_EXIT);
    return signedIn;
  }
  if (options.bootstrap) {
    // A fresh database has nobody to sign in as: the first user or token may be made without credentials.
    if ((await countUsers(db)) === 0 && (await countServiceTokens(db)) === 0)
      return { actor: { name: `bootstrap:${operatorName()}`, role: "admin" }, userId: null, mustChangePassword: false };
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
 * A one-time password (a generated initial one) opens nothing but its own change, as on the web:
 * only `passwordChange` (finemed users password) accepts it.
 */
export async function requireCliRole(needed: Role, options: { bootstrap?: boolean; passwordChange?: boolean } = {}): Promise<Actor> {
  const db = await cliDatabase();
  if (!session.actor) {
    const resolved = await resolveActor(db, options);
    session.actor = resolved.actor;
    session.userId = resolved.userId;
    session.mustChangePassword = resolved.mustChangePassword;
  }
  const actor = session.actor;
  if (session.mustChangePassword && !options.passwordChange)
    throw new CommandError(
      `${actor.name} still has a one-time password: change it first, then run this again with the new one:\n  ${ONE_TIME_PASSWORD_CHANGE}`,
      FORBIDDEN_EXIT,
    );
  if (!roleAllows(actor.role, needed))
    throw new CommandError(`forbidden: this needs the ${needed} role; ${actor.name} is ${actor.role}`, FORBIDDEN_EXIT);
  if (session.needed === null || roleAllows(needed, session.needed)) session.needed = needed;
  if (options.passwordChange) session.changes = true;
  if (session.changes || needed !== "viewer") await writeIntentAhead(db, actor, session.command?.action.split(".")[0] ?? "cli");
  return actor;
}

/** The signed-in user's id (FINEMED_USER), after requireCliRole; null for a service token. */
export function cliUserId(): string | null {
  return session.userId;
}

/** What the running command changed, for its audit event (the subject and counts the lib returned). */
export function noteCliAudit(subject: AuditSubject | null, details: Record<string, unknown> = {}): void {
  if (subject) session.subject = subject;
  Object.assign(session.details, details);
}

/** For cli/main.ts: the checked actor, the event written ahead and what the command noted for it. */
export function cliAuditState(): {
  actor: Actor | null;
  intent: AuditIntentRef;
  command: { action: string; argv: string[] } | null;
  subject: AuditSubject | null;
  details: Record<string, unknown>;
  db: Promise<Database> | null;
} {
  return {
    actor: session.actor,
    intent: session.intent,
    command: session.command,
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
