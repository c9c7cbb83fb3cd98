import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { serveEmbedded, sessionAlteringReason, type WireServer } from "../lib/db/embedded-wire-server";

/**
 * The embedded database's wire front (issue 14, finding 1): no password, no database; one client's
 * open transaction or session setting cannot hold or change the session every other client shares.
 */
const PASSWORD = "a-long-random-password-for-the-embedded-test-0123";
const IDLE_MS = 1_500;
let db: PGlite;
let server: WireServer;

beforeAll(async () => {
  db = await PGlite.create();
  server = await serveEmbedded(db, { password: PASSWORD, idleInTransactionMs: IDLE_MS });
});

afterAll(async () => {
  await server?.stop();
  await db?.close();
});

function url(password: string | null): string {
  const secret = password === null ? "" : `:${encodeURIComponent(password)}`;
  return `postgresql://postgres${secret}@127.0.0.1:${server.port}/postgres?sslmode=disable`;
}

async function connect(password: string | null, options: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url(password), ...options });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

describe("the embedded database's wire front", () => {
  it("refuses a client without the password or with a wrong one, and serves one with it", async () => {
    await expect(connect(null, { password: "" })).rejects.toThrow();
    await expect(connect("guess")).rejects.toThrow(/password authentication failed/);
    await expect(connect(`${PASSWORD}x`, { user: "anyone" })).rejects.toThrow(/password authentication failed/);
    const client = await connect(PASSWORD);
    try {
      expect((await client.query<{ n: number }>("SELECT 1 AS n")).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
  });

  it("refuses psql without the password (when psql is installed)", async (context) => {
    const psql = await promisify(execFile)("sh", ["-c", "command -v psql"]).then(
      (found) => found.stdout.trim(),
      () => "",
    );
    if (!psql) context.skip();
    const run = (password: string | null) =>
      promisify(execFile)(
        psql,
        ["-w", "-tA", "-h", "127.0.0.1", "-p", String(server.port), "-U", "anyone", "-d", "postgres", "-c", "SELECT 42"],
        {
          env: { ...process.env, PGPASSWORD: password ?? "", PGSSLMODE: "disable" },
        },
      );
    await expect(run(null)).rejects.toThrow();
    expect((await run(PASSWORD)).stdout.trim()).toBe("42");
  });

  it("disconnects a client idle inside a transaction so the others go on, and rolls its work back", async () => {
    await db.exec("CREATE TABLE IF NOT EXISTS idle_rows (n int)");
    const idle = await connect(PASSWORD);
    await idle.query("BEGIN");
    await idle.query("INSERT INTO idle_rows VALUES (1)");
    const started = Date.now();
    const other = await connect(PASSWORD);
    try {
      const count = await other.query<{ n: number }>("SELECT count(*)::int AS n FROM idle_rows");
      const waited = Date.now() - started;
      expect(count.rows[0]!.n).toBe(0);
      expect(waited).toBeGreaterThanOrEqual(IDLE_MS - 200);
      expect(waited).toBeLessThan(IDLE_MS + 5_000);
      await expect(idle.query("COMMIT")).rejects.toThrow();
    } finally {
      await other.end();
    }
  });

  it("keeps a busy transaction that is not idle", async () => {
    const busy = await connect(PASSWORD);
    try {
      await busy.query("BEGIN");
      for (let i = 0; i < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 2));
        await busy.query("SELECT 1");
      }
      await busy.query("COMMIT");
    } finally {
      await busy.end();
    }
  });

  it("refuses statements that would change the shared session, and ignores session options at startup", async () => {
    const setter = await connect(PASSWORD, { options: "-c default_transaction_read_only=on" });
    try {
      await expect(setter.query("SET default_transaction_read_only = on")).rejects.toThrow(/SET LOCAL/);
      await expect(setter.query("SELECT 1; SET SESSION statement_timeout = 1")).rejects.toThrow(/shares/);
      await expect(setter.query("SELECT set_config('default_transaction_read_only', 'on', false)")).rejects.toThrow(/shares/);
      await expect(setter.query({ text: "SET default_transaction_read_only = on", values: [] })).rejects.toThrow(/shares/);
      // The connection is still usable, and a transaction-local setting is allowed.
      await setter.query("BEGIN");
      await setter.query("SET LOCAL statement_timeout = 0");
      await setter.query("COMMIT");
    } finally {
      await setter.end();
    }
    const writer = await connect(PASSWORD);
    try {
      const mode = await writer.query<{ default_transaction_read_only: string }>("SHOW default_transaction_read_only");
      expect(mode.rows[0]!.default_transaction_read_only).toBe("off");
      await writer.query("CREATE TABLE IF NOT EXISTS after_set (n int)");
    } finally {
      await writer.end();
    }
  });

  it("tells session settings from transaction-local ones", () => {
    expect(sessionAlteringReason("SET search_path = x")).not.toBeNull();
    expect(sessionAlteringReason("reset all")).not.toBeNull();
    expect(sessionAlteringReason("DISCARD ALL")).not.toBeNull();
    expect(sessionAlteringReason("SET LOCAL statement_timeout = 0")).toBeNull();
    expect(sessionAlteringReason("SELECT set_config('x.y', '1', true)")).toBeNull();
    expect(sessionAlteringReason("UPDATE t SET a = 1")).toBeNull();
    expect(sessionAlteringReason("SET synchronous_commit = off")).toBeNull();
    expect(sessionAlteringReason("SET work_mem = '256MB'")).toBeNull();
    expect(sessionAlteringReason("SET search_path TO evil")).not.toBeNull();
  });
});
