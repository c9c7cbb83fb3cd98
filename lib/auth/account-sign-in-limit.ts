import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";

/**
 * The per-account half of the sign-in limit: the per-address one (better-auth's) does not stop guesses
 * spread over many addresses. Keyed on the email as typed (lower-cased), so an unknown email is
 * limited like a real one and the answer does not tell them apart. The price: anyone can lock an
 * account for the window by failing on purpose; an admin can still sign in by another account.
 */
const Limit = z.string().regex(/^\d+\/\d+$/, { error: "FINEMED_ACCOUNT_SIGN_IN_LIMIT is FAILURES/SECONDS, e.g. 10/900" });

/** FINEMED_ACCOUNT_SIGN_IN_LIMIT (FAILURES/SECONDS), default 10 failures per 15 minutes. */
export function accountSignInLimit(env: Readonly<Record<string, string | undefined>> = process.env): { max: number; window: number } {
  const configured = env.FINEMED_ACCOUNT_SIGN_IN_LIMIT?.trim();
  if (!configured) return { max: 10, window: 900 };
  const [max, window] = Limit.parse(configured).split("/").map(Number) as [number, number];
  if (max < 1 || window < 1) throw new Error("FINEMED_ACCOUNT_SIGN_IN_LIMIT needs at least 1 failure in at least 1 second");
  return { max, window };
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

const recentFailures = z.object({ failures: z.number().int(), oldest: z.date().nullable() });

/** Seconds until the account may try again, or null when it is under its limit. */
export async function accountLockedFor(db: Pick<Database, "pool">, email: string, limit = accountSignInLimit()): Promise<number | null> {
  const [row] = await queryRows(
    db.pool,
    recentFailures,
    `SELECT count(*)::int AS failures, min(failed_at) AS oldest FROM (
       SELECT failed_at FROM sign_in_failures WHERE email = $1 AND failed_at > now() - make_interval(secs => $2)
       ORDER BY failed_at DESC LIMIT $3) AS recent`,
    [accountKey(email), limit.window, limit.max],
  );
  if (!row || row.failures < limit.max || row.oldest === null) return null;
  return Math.max(1, Math.ceil((row.oldest.getTime() + limit.window * 1000 - Date.now()) / 1000));
}

export async function recordSignInFailure(db: Pick<Database, "pool">, email: string, limit = accountSignInLimit()): Promise<void> {
  await db.pool.query("INSERT INTO sign_in_failures (email) VALUES ($1)", [accountKey(email)]);
  // Rows past every window are dead weight.
  await db.pool.query("DELETE FROM sign_in_failures WHERE failed_at < now() - make_interval(secs => $1)", [limit.window]);
}

export async function clearSignInFailures(db: Pick<Database, "pool">, email: string): Promise<void> {
  await db.pool.query("DELETE FROM sign_in_failures WHERE email = $1", [accountKey(email)]);
}
