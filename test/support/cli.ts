import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { connectDatabase } from "../../lib/db/database";
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
 * A service token of `role` in the database a child environment points at (DATABASE_URL or the
 * embedded FINEMED_HOME), made once per database, name and role: every CLI command checks its role.
 */
export function serviceTokenFor(env: NodeJS.ProcessEnv, role: Role = "admin", name = `test-${role}`): Promise<string> {
  const where = env.DATABASE_URL?.trim() ? { url: env.DATABASE_URL.trim() } : { home: env.FINEMED_HOME };
  const key = `${where.url ?? where.home}|${name}|${role}`;
  let token = tokens.get(key);
  if (!token) {
    token = (async () => {
      const db = await connectDatabase({ ...where, migrate: false, poolSize: 1 });
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
