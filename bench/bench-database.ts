import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { createServerDatabase } from "../test/support/test-database";

const LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";
const DISCONNECT_WAIT_MS = 2_000;

/**
 * Benchmarks measure the production path, so they need a real PostgreSQL server: PGlite runs one
 * query at a time in-process and its figures would say nothing about a deployment.
 */
export function benchAdminUrl(): string {
  return process.env.BENCH_DATABASE_URL?.trim() || process.env.DATABASE_URL?.trim() || LOCAL_SERVER;
}

/**
 * pg's Pool.end() resolves before its sockets have closed, so a DROP ... WITH (FORCE) right after
 * it kills backends that are already leaving, and their clients log a lost connection mid-report.
 */
async function waitForDisconnects(adminUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const deadline = Date.now() + DISCONNECT_WAIT_MS;
    while (Date.now() < deadline) {
      const result = await admin.query<{ count: number }>("SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1", [database]);
      if (result.rows[0]!.count === 0) return;
      await sleep(25);
    }
  } finally {
    await admin.end();
  }
}

/** A new, empty database on the bench server; the caller drops it. */
export async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = benchAdminUrl();
  const created = await createServerDatabase(adminUrl);
  const name = new URL(created.url).pathname.slice(1);
  return {
    url: created.url,
    async drop() {
      await waitForDisconnects(adminUrl, name);
      await created.drop();
    },
  };
}

/** The server's address without credentials, for reports. */
export function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}`;
}
