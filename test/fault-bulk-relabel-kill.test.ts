import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { generateCurationRun } from "../bench/curation-data";
import { refreshSamples } from "../lib/samples/refresh-samples";
import { previewBulkRelabel } from "../lib/labels";
import pg from "pg";

// Tens of thousands of samples: the one-statement relabel takes long enough to be killed inside it.
const TEXTS = 25_000;
const TARGET = { primary: "Other Departments", secondary: "Rehabilitation Medicine" };
const CHILD = join(process.cwd(), "test/support/bulk-relabel-process.ts");

let db: TestDatabase;
let samples = 0;

beforeAll(async () => {
  db = await openTestDatabase();
  const client = await db.pool.connect();
  try {
    const run = await generateCurationRun(client, TEXTS, () => undefined);
    samples = (await refreshSamples(db, run.runId)).samples;
  } finally {
    client.release();
  }
}, 240_000);

afterAll(async () => {
  await db?.drop();
});

interface LabelState {
  rows: Map<number, { p: number | null; s: number | null; v: number }>;
  changes: number;
  operations: number;
}

async function labelState(): Promise<LabelState> {
  const rows = await db.pool.query<{ id: number; p: number | null; s: number | null; v: number }>(
    `SELECT instruction_id AS id, primary_id AS p, secondary_id AS s, label_version AS v FROM samples`,
  );
  const counts = await db.pool.query<{ changes: number; operations: number }>(
    `SELECT (SELECT count(*) FROM label_changes)::int AS changes, (SELECT count(*) FROM bulk_operations)::int AS operations`,
  );
  return { rows: new Map(rows.rows.map((r) => [r.id, { p: r.p, s: r.s, v: r.v }])), ...counts.rows[0]! };
}

/** Rows whose label moved, checked against the audit trail and the label versions. */
async function changedSince(before: LabelState): Promise<{ changed: number; after: LabelState }> {
  const after = await labelState();
  expect(after.rows.size).toBe(before.rows.size);
  let changed = 0;
  for (const [id, was] of before.rows) {
    const now = after.rows.get(id)!;
    const moved = now.p !== was.p || now.s !== was.s;
    if (moved) changed++;
    // A label version moves by exactly one with each change, and never without one.
    expect(now.v).toBe(was.v + (moved ? 1 : 0));
  }
  // One audit row per changed sample, and one bulk operation, or nothing at all.
  expect(after.changes - before.changes).toBe(changed);
  expect(after.operations - before.operations).toBe(changed === 0 ? 0 : 1);
  return { changed, after };
}

/** Runs the relabel in its own process; `kill` decides when (if ever) to SIGKILL it. */
function relabelProcess(
  kill: (child: ReturnType<typeof spawn>, output: () => string) => Promise<void>,
): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], { env: db.childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once("exit", (_code, signal) => resolve({ signal, output })),
  );
  void kill(child, () => output);
  return exited;
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the process running a bulk relabel killed with SIGKILL", () => {
  it("changes all rows or none, never a mix; a later relabel then changes all of them, audited once", async () => {
    expect(samples).toBeGreaterThan(20_000);
    const expected = await previewBulkRelabel(db, { filter: {} }, TARGET);
    expect(expected).toBeGreaterThan(15_000);
    const before = await labelState();

    // On the server the test holds the row lock of one sample the relabel must change, so its statement is
    // certainly still running (waiting on that row) when the kill lands; on an idle machine the whole
    // statement otherwise ends before a poll can see it. A client of its own, ended whatever happens.
    const holder = db.kind === "server" ? new pg.Client({ connectionString: db.childEnv.DATABASE_URL }) : null;
    let killed: { signal: NodeJS.Signals | null; output: string };
    try {
      if (holder) {
        await holder.connect();
        await holder.query("BEGIN");
        const locked = await holder.query(
          `SELECT s.instruction_id FROM samples s
            WHERE s.status = 'kept'
              AND s.secondary_id IS DISTINCT FROM (SELECT id FROM departments WHERE name = $1 AND level = 'secondary')
            ORDER BY s.instruction_id DESC LIMIT 1 FOR UPDATE`,
          [TARGET.secondary],
        );
        expect(locked.rowCount).toBe(1);
      }
      killed = await relabelProcess(async (child, output) => {
        // Killed whatever the watch finds: a relabel left waiting on the test's lock must not outlive the test.
        setTimeout(() => child.kill("SIGKILL"), 90_000).unref();
        await until(() => output().includes("relabeling"), 60_000, "the relabel to start");
        if (db.kind === "server") {
          // Killed while PostgreSQL is executing its statement (waiting on the test's lock): it cannot have committed yet.
          await until(
            async () => {
              const active = await db.pool.query(
                `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND (wait_event_type = 'Lock' OR query LIKE '%label_changes%')`,
              );
              return active.rows.length > 0;
            },
            60_000,
            "the relabel statement to run",
          );
        } else {
          // The embedded server runs one statement at a time, so it cannot be watched from here.
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
        child.kill("SIGKILL");
      });
    } finally {
      await holder?.query("ROLLBACK").catch(() => undefined);
      await holder?.end().catch(() => undefined);
    }
    expect(killed.signal, killed.output).toBe("SIGKILL");
    // The server notices the dropped connection and rolls the transaction back; give it a moment.
    await until(
      async () => {
        const open = await db.pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%label_changes%' AND state <> 'idle'`,
        );
        return open.rows.length === 0;
      },
      30_000,
      "the killed transaction to end",
    );
    const { changed, after } = await changedSince(before);
    process.stdout.write(`bulk relabel killed (${db.kind}): ${changed} of ${expected} rows changed\n`);
    expect([0, expected]).toContain(changed);
    if (db.kind === "server") expect(changed).toBe(0);

    // The same relabel left to finish changes what remains, all at once, under one operation.
    const remaining = await previewBulkRelabel(db, { filter: {} }, TARGET);
    expect(remaining).toBe(expected - changed);
    if (remaining === 0) return;
    const finished = await relabelProcess(async () => undefined);
    expect(finished.output).toContain(`relabeled ${remaining}`);
    const second = await changedSince(after);
    expect(second.changed).toBe(remaining);
    expect(await previewBulkRelabel(db, { filter: {} }, TARGET)).toBe(0);
  }, 300_000);
});
