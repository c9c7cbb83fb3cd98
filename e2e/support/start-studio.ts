// Starts the built studio for the browser tests on a database of its own: a fresh database on the
// PostgreSQL server when DATABASE_URL is set (CI), else an embedded one in a fresh FINEMED_HOME.
// Playwright stops it with SIGTERM (gracefulShutdown); it then stops the studio and removes both.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServerDatabase } from "../../test/support/test-database";
import { E2E_ADMIN } from "./e2e-admin";

const port = process.argv[process.argv.indexOf("--port") + 1] ?? "3100";
// The demo backend on a port of its own, so a studio already running here does not collide with it.
// The first admin from the environment; e2e/support/sign-in-admin.ts signs it in for every spec.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  FINEMED_DEMO_BACKEND_PORT: process.env.E2E_DEMO_BACKEND_PORT ?? "8791",
  FINEMED_ADMIN_EMAIL: E2E_ADMIN.email,
  FINEMED_ADMIN_PASSWORD: E2E_ADMIN.password,
  // The specs sign in several users in a minute; the limit itself is tested in test/auth-*.test.ts.
  FINEMED_SIGN_IN_RATE_LIMIT: "60/60",
};
delete env.FINEMED_TOKEN;
delete env.BETTER_AUTH_SECRET;
const admin = process.env.DATABASE_URL?.trim();
const home = mkdtempSync(join(tmpdir(), "finemed-e2e-"));
env.FINEMED_HOME = home;
const created = admin ? await createServerDatabase(admin) : null;
if (created) env.DATABASE_URL = created.url;
else delete env.DATABASE_URL;

// E2E_REUSE_BUILD=1 serves the build already in FINEMED_NEXT_DIR (re-running specs after changing only specs).
const rebuild = process.env.E2E_REUSE_BUILD === "1" ? [] : ["--rebuild"];
const studio = spawn(process.execPath, ["bin/finemed.js", "serve", "--port", port, ...rebuild], { env, stdio: "inherit" });
const studioExited = new Promise<number>((resolve) => studio.once("exit", (code) => resolve(code ?? 0)));
let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  studio.kill("SIGTERM");
  const code = await studioExited;
  await created
    ?.drop()
    .catch((error: unknown) => process.stderr.write(`e2e: could not drop the test database: ${(error as Error).message}\n`));
  rmSync(home, { recursive: true, force: true });
  process.exit(code);
}

process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
void studioExited.then(() => stop());
