import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { connectDatabase, type Database } from "../../lib/db/database";

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server when
 * DATABASE_URL is set (CI), else an embedded PGlite in a temporary FINEMED_HOME. Dropped afterwards.
 */
export interface TestDatabase extends Database {
  kind: "server" | "embedded";
  /** FINEMED_HOME for child processes (CLI) when embedded; null on a server. */
  home: string | null;
  /** Environment for a child process (CLI, worker) that must reach this same database. */
  childEnv: NodeJS.ProcessEnv;
  drop(): Promise<void>;
}

export function serverUrl(): string | null {
  return process.env.DATABASE_URL?.trim() || null;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

const DISCONNECT_WAIT_MS = 2_000;

export async function createServerDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `finemed_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        // pg's Pool.end() resolves before its sockets close: forcing the drop at once would kill
        // backends already on their way out, and their clients would log a lost connection.
        const deadline = Date.now() + DISCONNECT_WAIT_MS;
        while (Date.now() < deadline) {
          const open = await cleanup.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
          if (open.rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export async function openTestDatabase(options: { migrate?: boolean; kind?: "server" | "embedded" } = {}): Promise<TestDatabase> {
  const admin = serverUrl();
  const kind = options.kind ?? (admin ? "server" : "embedded");
  if (kind === "server") {
    if (!admin) throw new Error("a server test database needs DATABASE_URL");
    const created = await createServerDatabase(admin);
    const db = await connectDatabase({ url: created.url, migrate: options.migrate });
    return {
      ...db,
      kind,
      home: null,
      childEnv: { ...process.env, DATABASE_URL: created.url },
      async drop() {
        await db.close();
        await created.drop();
      },
    };
  }
  const home = mkdtempSync(join(tmpdir(), "finemed-test-"));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FINEMED_HOME: home };
  delete childEnv.DATABASE_URL;
  // The embedded server is owned by this test process; children join it through FINEMED_HOME.
  const db = await connectDatabase({ home, migrate: options.migrate });
  return {
    ...db,
    kind,
    home,
    childEnv,
    async drop() {
      await db.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
