import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { connectDatabase, type Database } from "../lib/db/database";
import { createServerDatabase, serverUrl } from "./support/test-database";

// pg_stat_activity only exists on a real server; the embedded database has one session for all.
const admin = serverUrl();
const POOL_MAX = 3;

async function openConnections(monitor: pg.Client, name: string): Promise<number> {
  const found = await monitor.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
  return found.rows[0]!.n;
}

describe.skipIf(!admin)("one connection pool per process (server)", () => {
  let created: Awaited<ReturnType<typeof createServerDatabase>>;
  let name: string;
  let db: Database;
  const monitor = new pg.Client({ connectionString: admin ?? undefined });

  beforeAll(async () => {
    created = await createServerDatabase(admin!);
    name = new URL(created.url).pathname.slice(1);
    db = await connectDatabase({ url: created.url, poolSize: POOL_MAX });
    await monitor.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await monitor.end();
    await created?.drop();
  });

  it("serves Prisma and raw SQL from the same pool: busy on both, the server sees at most the pool's size", async () => {
    // Twice the pool's size in slow statements, half through Prisma and half through db.pool: two
    // pools of POOL_MAX would open 2 × POOL_MAX connections at once.
    const slow = 0.4;
    const viaPrisma = Promise.all(
      Array.from(
        { length: POOL_MAX },
        () => db.prisma.$queryRaw<{ pid: number }[]>`SELECT pg_sleep(${slow})::text AS slept, pg_backend_pid() AS pid`,
      ),
    );
    const viaPool = Promise.all(
      Array.from({ length: POOL_MAX }, () =>
        db.pool.query<{ pid: number }>("SELECT pg_sleep($1)::text AS slept, pg_backend_pid() AS pid", [slow]),
      ),
    );
    const counted = db.prisma.corpus.count();
    let peak = 0;
    const started = Date.now();
    while (Date.now() - started < slow * 1000) {
      peak = Math.max(peak, await openConnections(monitor, name));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const pids = new Set([...(await viaPrisma).flat(), ...(await viaPool).flatMap((result) => result.rows)].map((row) => Number(row.pid)));
    expect(await counted).toBe(0);

    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(POOL_MAX);
    // Prisma's statements ran on backends db.pool also used: the same connections, not merely as many.
    expect(pids.size).toBeLessThanOrEqual(POOL_MAX);
    expect(db.pool.totalCount).toBeLessThanOrEqual(POOL_MAX);
  }, 30_000);

  it("leaves no connection open once closed, and closing twice ends the pool once", async () => {
    await db.close();
    await expect(db.close()).resolves.toBeUndefined();
    expect(db.pool.ended).toBe(true);
    // Pool.end() resolves before the backends have gone: give them a moment to leave.
    const deadline = Date.now() + 3_000;
    let open = await openConnections(monitor, name);
    while (open > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      open = await openConnections(monitor, name);
    }
    expect(open).toBe(0);
  });
});
