import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { connectDatabase, type Database } from "../lib/db/database";
import { runCli } from "./support/cli";
import { waitForRun } from "./support/synthesis";
import { demoCorpusFile } from "../lib/demo/seed-demo-corpus";
import { importSourceTexts } from "../lib/corpus/import-source-texts";
import { startSimulator } from "../lib/simulator";
import { runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { createRun } from "../lib/runs/create-run";
import { startSynthesisWorker } from "../workers/synthesis-worker";

/**
 * The embedded home of the database, tested whatever DATABASE_URL says (CI sets it for everything
 * else): PGlite served on loopback to several processes and connections at once.
 */
let home: string;
let db: Database;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "finemed-embedded-"));
  db = await connectDatabase({ home });
});

afterAll(async () => {
  await db?.close();
  rmSync(home, { recursive: true, force: true });
});

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FINEMED_HOME: home };
  delete env.DATABASE_URL;
  return env;
}

describe("the embedded database", () => {
  it("is PostgreSQL, migrated, and reached by other processes through FINEMED_HOME", async () => {
    expect(db.embedded).toBe(true);
    const version = await db.pool.query<{ server_version: string }>("SHOW server_version");
    expect(Number.parseInt(version.rows[0]!.server_version, 10)).toBeGreaterThanOrEqual(15);
    await db.prisma.corpus.create({ data: { name: "shared-with-a-child" } });
    const listed = await runCli(["corpora", "--json"], childEnv());
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { corpora: { name: string }[] }).corpora.map((c) => c.name)).toContain("shared-with-a-child");
  });

  it("demands its password and keeps FINEMED_HOME private to its owner", async () => {
    const port = new URL(db.url).port;
    const anonymous = new pg.Client({ connectionString: `postgresql://anyone@127.0.0.1:${port}/postgres?sslmode=disable`, password: "" });
    anonymous.on("error", () => undefined);
    await expect(anonymous.connect()).rejects.toThrow();
    const guessing = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable` });
    guessing.on("error", () => undefined);
    await expect(guessing.connect()).rejects.toThrow(/password authentication failed/);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, "embedded-db-password")).mode & 0o777).toBe(0o600);
    // `find FINEMED_HOME -perm /o+rw` (and group) on a freshly started, migrated home: nothing.
    const open = execFileSync("find", [home, "-perm", "/go+rw"], { encoding: "utf8" }).trim();
    expect(open).toBe("");
  });

  it("keeps concurrent extended-protocol queries and transactions of many connections apart", async () => {
    const pools = [new pg.Pool({ connectionString: db.url, max: 4 }), new pg.Pool({ connectionString: db.url, max: 4 })];
    try {
      const transaction = await pools[0]!.connect();
      await transaction.query("BEGIN");
      await transaction.query("CREATE TEMP TABLE IF NOT EXISTS scratch_rows (n int)");
      const queries = Array.from({ length: 300 }, (_, i) =>
        pools[i % 2]!.query<{ a: number; b: string }>("SELECT $1::int AS a, $2::text AS b", [i, `row-${i}`]).then((r) => r.rows[0]),
      );
      await transaction.query("INSERT INTO scratch_rows SELECT generate_series(1, 10)");
      await transaction.query("ROLLBACK");
      transaction.release();
      const rows = await Promise.all(queries);
      rows.forEach((row, i) => expect(row).toEqual({ a: i, b: `row-${i}` }));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("delivers a reply of many megabytes intact while another connection keeps querying", async () => {
    // A stored neighbour index or PCA model is one bytea of several MiB: the front once queued PGlite's
    // reused send buffer by reference, so such a reply reached the client overwritten and it hung.
    await db.pool.query("CREATE TABLE large_reply (id int PRIMARY KEY, bytes bytea NOT NULL)");
    let polling = true;
    const poll = (async () => {
      let answered = 0;
      while (polling) {
        await db.pool.query("SELECT 1");
        answered += 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return answered;
    })();
    try {
      for (const mebibytes of [4, 8]) {
        const bytes = randomBytes(mebibytes * 2 ** 20);
        await db.pool.query("INSERT INTO large_reply VALUES ($1, $2)", [mebibytes, bytes]);
        for (let round = 0; round < 2; round++) {
          const read = db.pool.query<{ bytes: Buffer }>("SELECT bytes FROM large_reply WHERE id = $1", [mebibytes]);
          const timeout = new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`${mebibytes} MiB: no answer in 20 s`)), 20_000),
          );
          const { rows } = await Promise.race([read, timeout]);
          expect(rows[0]!.bytes.equals(bytes)).toBe(true);
        }
      }
    } finally {
      polling = false;
      expect(await poll).toBeGreaterThan(0);
      await db.pool.query("DROP TABLE large_reply");
    }
  }, 90_000);

  it("rolls back the open transaction of a client that dies", async () => {
    const client = new pg.Client({ connectionString: db.url });
    client.on("error", () => undefined);
    await client.connect();
    await client.query("BEGIN");
    await client.query(`INSERT INTO corpora (name) VALUES ('half-written')`);
    // The socket vanishes as it does when a process is killed: no COMMIT, no ROLLBACK.
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const found = await db.pool.query(`SELECT 1 FROM corpora WHERE name = 'half-written'`);
    expect(found.rowCount).toBe(0);
  });

  it("runs many small batches at once on its small pool without deadlocking", async () => {
    const simulator = await startSimulator({ port: 0, seed: "embedded" });
    try {
      await importSourceTexts(db, {
        corpusName: "demo-copy",
        fileName: "corpus.jsonl",
        source: demoCorpusFile(),
        read: { format: "jsonl", textField: "text", idField: "id" },
        strict: true,
        createdBy: "test",
      });
      const config = runConfigSchema.parse({
        corpus: "demo-copy",
        limit: 40,
        batchSize: 5,
        roles: singleServerRoles(simulator.url, "simulated/finemed-sim"),
      });
      const run = await createRun(db, config, "test", { simulated: true });
      const worker = await startSynthesisWorker(db, { concurrency: 4 });
      try {
        const summary = await waitForRun(db, run.runId, 60_000);
        expect(summary).toMatchObject({ status: "completed", texts: 40, pending: 0 });
      } finally {
        await worker.stop();
      }
    } finally {
      await simulator.close();
    }
  }, 90_000);

  it("keeps its data across a restart", async () => {
    await db.close();
    db = await connectDatabase({ home });
    expect(await db.prisma.corpus.count({ where: { name: "shared-with-a-child" } })).toBe(1);
  });
});
