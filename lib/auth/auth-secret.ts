import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { finemedHome } from "../db/settings";

/**
 * The key that signs session cookies: BETTER_AUTH_SECRET when set (several web hosts must share it),
 * else one generated on first use and kept in FINEMED_HOME/auth-secret (mode 0600), so the quick start
 * needs no manual step and sessions survive restarts.
 */
export function authSecret(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.BETTER_AUTH_SECRET?.trim();
  if (configured) return configured;
  const home = finemedHome();
  const file = join(home, "auth-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(home, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    // "wx": when two processes race, the second keeps the first one's secret.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
    return secret;
  } catch {
    return readFileSync(file, "utf8").trim();
  }
}
