// Finding 8 of the security probe: every race and bad input gets a 4xx with a reason in the user's
// words, never an empty 500 and never the database's own text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { bulkRelabel } from "../lib/labels";
import { refreshSamples } from "../lib/samples";
import { databaseErrorResponse } from "../lib/http/database-errors";
import { retryOnConflict } from "../lib/labels/conflict-retry";
import { generateCurationRun } from "../bench/curation-data";
import { POST as undoRoute } from "../app/api/labels/bulk/[id]/undo/route";
import { GET as samplesRoute } from "../app/api/samples/route";
import { GET as auditRoute } from "../app/api/audit/route";
import { POST as addDepartment } from "../app/api/taxonomy/departments/route";
import { POST as createDataset } from "../app/api/datasets/route";
import { POST as importRoute } from "../app/api/imports/route";

const BASE = "http://studio.test";
let db: TestDatabase;
let admin: string;
let runId: string;
const shared = globalThis as { finemedDatabase?: Promise<Database> };

beforeAll(async () => {
  db = await openTestDatabase();
  const client = await db.pool.connect();
  try {
    runId = (await generateCurationRun(client, 200, () => undefined)).runId;
  } finally {
    client.release();
  }
  await refreshSamples(db, runId);
  shared.finemedDatabase = Promise.resolve(db);
  admin = (await createServiceToken(db, { name: "race-admin", role: "admin" }, "test")).token;
}, 120_000);

afterAll(async () => {
  shared.finemedDatabase = undefined;
  await db?.drop();
});

function call(path: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${admin}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  return new Request(`${BASE}${path}`, { ...init, headers });
}

async function answer(response: Response): Promise<{ status: number; error: string }> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return { status: response.status, error: body.error ?? "" };
}

const RAW_DATABASE_TEXT = /invalid byte sequence|0x00|syntax for type|out of range for type|duplicate key|deadlock detected/;

describe("races (security probe finding 8)", () => {
  it("answers two concurrent undos of one bulk operation with 200 and 409", async () => {
    const operation = await bulkRelabel(
      db,
      { filter: {} },
      { primary: "Other Departments", secondary: "Rehabilitation Medicine" },
      "race",
      "race-admin",
    );
    // A third transaction holds the operation's row so both undos queue on it and then run back to back.
    const blocker = await db.pool.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT 1 FROM bulk_operations WHERE id = $1 FOR UPDATE", [operation.bulkOperationId]);
      const undo = () =>
        undoRoute(call(`/api/labels/bulk/${operation.bulkOperationId}/undo`, { method: "POST" }), {
          params: Promise.resolve({ id: operation.bulkOperationId }),
        });
      const both = Promise.all([undo(), undo()]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await blocker.query("COMMIT");
      const answers = await Promise.all((await both).map(answer));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)!.error).toMatch(/has already been undone/);
    } finally {
      await blocker.query("ROLLBACK").catch(() => undefined);
      blocker.release();
    }
    const undos = await db.pool.query(`SELECT 1 FROM bulk_operations WHERE undoes_id = $1`, [operation.bulkOperationId]);
    expect(undos.rowCount).toBe(1);
  }, 60_000);

  it("runs a deadlock's victim again, and answers 409 'try again' when it keeps losing", async () => {
    const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01", severity: "ERROR" });
    let attempts = 0;
    expect(
      await retryOnConflict(async () => {
        if (++attempts < 3) throw deadlock;
        return "done";
      }),
    ).toBe("done");
    attempts = 0;
    await expect(
      retryOnConflict(async () => {
        attempts++;
        throw deadlock;
      }),
    ).rejects.toBe(deadlock);
    expect(attempts).toBe(3);
    const mapped = await answer(databaseErrorResponse(deadlock)!);
    expect(mapped).toEqual({ status: 409, error: "this change collided with another one made at the same moment; try again" });
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "retries an undo that a real PostgreSQL deadlock chose as its victim, and answers 200",
    async () => {
      const TARGET = { primary: "Internal Medicine", secondary: "Cardiology" };
      const picked = await db.pool.query<{ id: string }>(
        `SELECT s.instruction_id::text AS id FROM samples s
          WHERE s.status = 'kept' AND s.secondary_id IS DISTINCT FROM (SELECT id FROM departments WHERE name = $1 LIMIT 1)
          ORDER BY s.instruction_id LIMIT 2`,
        [TARGET.secondary],
      );
      const [first, second] = picked.rows.map((row) => Number(row.id)) as [number, number];
      const operation = await bulkRelabel(db, { ids: [first, second] }, TARGET, "deadlock probe", "race-admin");
      expect(operation.count).toBe(2);
      const deadlocks = async () =>
        (
          await db.pool.query<{ n: number }>(
            `SELECT pg_stat_clear_snapshot(), deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
          )
        ).rows[0]!.n;
      const deadlocksBefore = await deadlocks();
      // The planted lock holder takes the second sample first; the undo locks its samples in id order, so
      // it holds the first and waits for the second. Then the holder asks for the first: a true cycle.
      // The holder's deadlock_timeout is long, so the undo (waiting for 1 s by default) is the victim.
      const holder = await db.pool.connect();
      try {
        await holder.query("BEGIN");
        await holder.query("SET LOCAL deadlock_timeout = '30s'");
        await holder.query("SELECT 1 FROM samples WHERE instruction_id = $1 FOR UPDATE", [second]);
        const undo = undoRoute(call(`/api/labels/bulk/${operation.bulkOperationId}/undo`, { method: "POST" }), {
          params: Promise.resolve({ id: operation.bulkOperationId }),
        });
        const waitingUndos = async () =>
          (
            await db.pool.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE OF s%'`,
            )
          ).rows[0]!.n;
        for (let waited = 0; (await waitingUndos()) === 0; waited += 20) {
          if (waited > 10_000) throw new Error("the undo never waited for the planted lock");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Blocks until PostgreSQL breaks the cycle by aborting the undo's transaction.
        await holder.query("SELECT 1 FROM samples WHERE instruction_id = $1 FOR UPDATE", [first]);
        // The retried undo now waits for the holder, which lets go.
        await holder.query("ROLLBACK");
        const answered = await undo;
        const text = await answered.text();
        expect(answered.status, text).toBe(200);
        expect(text).not.toMatch(RAW_DATABASE_TEXT);
        expect(JSON.parse(text)).toMatchObject({ restored: 2, skipped: 0 });
        // PostgreSQL counts the deadlock it broke (the victim's backend reports it within a second or so).
        for (let waited = 0; (await deadlocks()) === deadlocksBefore && waited < 10_000; waited += 100)
          await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await deadlocks()).toBe(deadlocksBefore + 1);
      } finally {
        await holder.query("ROLLBACK").catch(() => undefined);
        holder.release();
      }
      const undos = await db.pool.query(`SELECT 1 FROM bulk_operations WHERE undoes_id = $1`, [operation.bulkOperationId]);
      expect(undos.rowCount).toBe(1);
    },
    60_000,
  );

  it("answers a real unique violation from the database with 409 and no database text", async () => {
    const error: unknown = await db.pool
      .query(`CREATE TEMP TABLE t_race (x int UNIQUE); INSERT INTO t_race VALUES (1), (1)`)
      .catch((caught: unknown) => caught);
    const mapped = await answer(databaseErrorResponse(error)!);
    expect(mapped.status).toBe(409);
    expect(mapped.error).not.toMatch(RAW_DATABASE_TEXT);
  });
});

describe("bad input (security probe finding 8)", () => {
  it("refuses a NUL character in search, taxonomy and dataset names with 400 and the reason", async () => {
    const search = await answer(await samplesRoute(call(`/api/samples?q=${encodeURIComponent("metformin\u0000")}`), undefined));
    expect(search).toMatchObject({ status: 400, error: expect.stringMatching(/contains a NUL character/) });
    const department = await answer(
      await addDepartment(
        call("/api/taxonomy/departments", { method: "POST", body: JSON.stringify({ level: "primary", name: "Cardio\u0000logy" }) }),
        undefined,
      ),
    );
    expect(department).toMatchObject({ status: 400, error: expect.stringMatching(/contains a NUL character/) });
    const dataset = await answer(
      await createDataset(
        call("/api/datasets", { method: "POST", body: JSON.stringify({ name: "v1\u0000", selection: { runIds: [runId] } }) }),
        undefined,
      ),
    );
    expect(dataset).toMatchObject({ status: 400, error: expect.stringMatching(/contains a NUL character/) });
    expect((await db.pool.query(`SELECT 1 FROM dataset_versions`)).rowCount).toBe(0);
    for (const refused of [search, department, dataset]) expect(refused.error).not.toMatch(RAW_DATABASE_TEXT);
  });

  it("refuses NUL characters, unparsable dates and impossible cursors in audit filters with 400", async () => {
    for (const query of [
      `actor=${encodeURIComponent("a\u0000")}`,
      "from=%2B275760-09-13",
      "to=not-a-date",
      "before=99999999999999999999",
      "before=-1",
    ]) {
      const refused = await answer(await auditRoute(call(`/api/audit?${query}`), undefined));
      expect(refused.status, query).toBe(400);
      expect(refused.error, query).not.toMatch(RAW_DATABASE_TEXT);
    }
    expect((await answer(await auditRoute(call(`/api/audit?actor=${encodeURIComponent("a\u0000")}`), undefined))).error).toMatch(
      /actor: contains a NUL character/,
    );
    expect((await auditRoute(call("/api/audit?from=2026-01-01&before=9223372036854775807"), undefined)).status).toBe(200);
  });

  it("answers an import whose names hold a NUL with a plain reason", async () => {
    const upload = await answer(
      await importRoute(
        new Request(`${BASE}/api/imports?corpus=${encodeURIComponent("notes\u0000")}&fileName=n.jsonl`, {
          method: "POST",
          headers: { authorization: `Bearer ${admin}` },
          body: JSON.stringify({ text: "A patient with gout takes allopurinol." }),
        }),
        undefined,
      ),
    );
    expect(upload).toEqual({ status: 400, error: "corpus: contains a NUL character" });
  });
});
