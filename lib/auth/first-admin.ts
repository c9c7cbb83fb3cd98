import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { finemedHome } from "../db/settings";
import { recordAuditEvent } from "../audit";
import { countUsers, createUser } from "./users";

// A name better-auth accepts as an email (it needs a dot in the domain).
export const GENERATED_ADMIN_EMAIL = "admin@finemed.local";

export function firstAdminPasswordFile(): string {
  return join(finemedHome(), "first-admin-password");
}

export interface FirstAdmin {
  email: string;
  /** Set when the password was generated here (print it once); null when it came from the environment. */
  generatedPassword: string | null;
  passwordFile: string | null;
}

/**
 * Gives a studio with no users its first admin: FINEMED_ADMIN_EMAIL + FINEMED_ADMIN_PASSWORD when set,
 * else admin@finemed.local with a random one-time password written to FINEMED_HOME/first-admin-password
 * (mode 0600) and returned for the serve output; that admin is asked to change it on first sign-in.
 * Returns null when users exist already. Safe to call from concurrent processes.
 */
export async function ensureFirstAdmin(
  db: Database,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<FirstAdmin | null> {
  if ((await countUsers(db)) > 0) return null;
  const email = env.FINEMED_ADMIN_EMAIL?.trim();
  const password = env.FINEMED_ADMIN_PASSWORD;
  // One process creates the admin; a concurrent one waits on the lock and then sees it.
  const client = await db.pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(72707370)");
    if ((await countUsers(db)) > 0) return null;
    if (email && password) {
      await createUser(db, { email, password, role: "admin", name: "admin" });
      await recordAuditEvent(db, {
        actor: "system",
        action: "user.create-first-admin",
        subject: { type: "user", id: email },
        details: { source: "environment" },
        via: "system",
      });
      return { email, generatedPassword: null, passwordFile: null };
    }
    const generated = randomBytes(12).toString("base64url");
    const file = firstAdminPasswordFile();
    mkdirSync(finemedHome(), { recursive: true });
    writeFileSync(file, `${generated}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    await createUser(db, { email: GENERATED_ADMIN_EMAIL, password: generated, role: "admin", name: "admin", mustChangePassword: true });
    await recordAuditEvent(db, {
      actor: "system",
      action: "user.create-first-admin",
      subject: { type: "user", id: GENERATED_ADMIN_EMAIL },
      details: { source: "generated", file },
      via: "system",
    });
    return { email: GENERATED_ADMIN_EMAIL, generatedPassword: generated, passwordFile: file };
  } finally {
    await client.query("SELECT pg_advisory_unlock(72707370)").catch(() => undefined);
    client.release();
  }
}

/** What the sign-in page tells someone who has no password yet: set while the generated admin keeps its one-time password. */
export async function firstAdminHint(db: Pick<Database, "pool">): Promise<{ email: string; passwordFile: string } | null> {
  const [found] = await queryRows(
    db.pool,
    z.object({ pending: z.boolean() }),
    "SELECT must_change_password AS pending FROM users WHERE email = $1",
    [GENERATED_ADMIN_EMAIL],
  );
  return found?.pending ? { email: GENERATED_ADMIN_EMAIL, passwordFile: firstAdminPasswordFile() } : null;
}
