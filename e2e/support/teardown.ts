import { existsSync, readFileSync, rmSync } from "node:fs";
import pg from "pg";
import { E2E_STATE_FILE, type E2eState } from "./state";

export default async function teardown(): Promise<void> {
  if (!existsSync(E2E_STATE_FILE)) return;
  const state = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as E2eState;
  // The studio is stopped by Playwright before global teardown runs.
  if (state.adminUrl && state.databaseUrl) {
    const admin = new pg.Client({ connectionString: state.adminUrl });
    await admin.connect();
    const name = new URL(state.databaseUrl).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  rmSync(state.home, { recursive: true, force: true });
  rmSync(E2E_STATE_FILE, { force: true });
}
