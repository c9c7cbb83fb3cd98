import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { connectDatabase } from "../../lib/db/database";
import { embeddedDatabaseUrl } from "../../lib/db/embedded";
import { createServiceToken } from "../../lib/auth/service-tokens";
import type { Role } from "../../lib/auth/roles";

export const FINEMED_BIN = join(process.cwd(), "bin/finemed.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const tokens = new Map<string, Promise<string>>();

/**
 * The URL a child environment reaches: DATABASE_URL, or the embedded server that this test process
 * serves for FINEMED_HOME (its owner file names the port; opening the data directory again in the
 * same process would start a second, diverging PGlite).
 */
function databaseUrlOf(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL?.trim();
  if (url) return url;
  if (!env.FINEMED_HOME) throw new Error("the child environment names neither DATABASE_URL nor FINEMED_HOME");
  const embedded = embeddedDatabaseUrl(env.FINEMED_HOME);
  if (!embedded) throw new Error(`no embedded database is served for ${env.FINEMED_HOME}`);
  return embedded;
}

/**
 * A service token of `role` in the database a child environment points at (DATABASE_URL or the
 * embedded FINEMED_HOME), made once per database, name and role: every CLI command checks its role.
 */
export function serviceTokenFor(env: NodeJS.ProcessEnv, role: Role = "admin", name = `test-${role}`): Promise<string> {
  const key = `${env.DATABASE_URL?.trim() || env.FINEMED_HOME}|${name}|${role}`;
  let token = tokens.get(key);
  if (!token) {
    token = (async () => {
      const db = await connectDatabase({ url: databaseUrlOf(env), migrate: false, poolSize: 1 });
      try {
        return (await createServiceToken(db, { name, role }, "test")).token;
      } finally {
        await db.close();
      }
    })();
    tokens.set(key, token);
  }
  return token;
}

/**
 * Runs `finemed …` as a user would, in its own process. Unless the environment names an identity
 * (FINEMED_TOKEN or FINEMED_USER, even empty), the command runs with an admin service token of the
 * test's database.
 */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, onStart?: (child: ChildProcess) => void): Promise<CliResult> {
  const identified = env.FINEMED_TOKEN !== undefined || env.FINEMED_USER !== undefined;
  const childEnv = identified ? env : { ...env, FINEMED_TOKEN: await serviceTokenFor(env) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FINEMED_BIN, ...args], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
    onStart?.(child);
  });
}
