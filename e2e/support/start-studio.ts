// Starts the built studio for the browser tests on a database of its own: a fresh database on the
// PostgreSQL server when DATABASE_URL is set (CI), else an embedded one in a fresh FINEMED_HOME.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServerDatabase } from "../../test/support/test-database";
import { E2E_STATE_FILE } from "./state";

const port = process.argv[process.argv.indexOf("--port") + 1] ?? "3100";
// The demo backend on a port of its own, so a studio already running here does not collide with it.
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FINEMED_DEMO_BACKEND_PORT: process.env.E2E_DEMO_BACKEND_PORT ?? "8791" };
const admin = process.env.DATABASE_URL?.trim();
const home = mkdtempSync(join(tmpdir(), "finemed-e2e-"));
env.FINEMED_HOME = home;
if (admin) {
  const created = await createServerDatabase(admin);
  env.DATABASE_URL = created.url;
  writeFileSync(E2E_STATE_FILE, JSON.stringify({ adminUrl: admin, databaseUrl: created.url, home }));
} else {
  delete env.DATABASE_URL;
  writeFileSync(E2E_STATE_FILE, JSON.stringify({ home }));
}
const studio = spawn(process.execPath, ["bin/finemed.js", "serve", "--port", port, "--rebuild"], { env, stdio: "inherit" });
const stop = () => studio.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
studio.on("exit", (code) => process.exit(code ?? 0));
