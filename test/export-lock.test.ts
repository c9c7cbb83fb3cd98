// The export lock (lib/export/export-lock.ts) across processes: a second exporter of a dataset version
// waits while another process exports it, then goes on (the studio's Export then reuses what was
// written); exporters of two versions never wait for each other; and a holder that is killed lets go.
// On a server the lock is an advisory lock, on the embedded database a lock file (PGlite shares one
// session between every client, shown below): the same tests run on both.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { z } from "zod";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { runCli } from "./support/cli";
import { refreshSamples } from "../lib/samples";
import { approveVersion, createVersion, submitVersion } from "../lib/datasets";
import { acquireExportLock, ensureExport, exportDir, type ExportLock } from "../lib/export";
import { exportLockFile } from "../lib/export/export-lock";
import { queryRows } from "../lib/db/checked-rows";

const HOLDER = join(process.cwd(), "test/support/export-lock-holder.ts");
const previousHome = process.env.FINEMED_HOME;

let db: TestDatabase;
let home: string;
let env: NodeJS.ProcessEnv;
let versionId: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  // The embedded database's home is where its lock files go; a server's test gets a home of its own for the exports.
  home = db.home ?? mkdtempSync(join(tmpdir(), "finemed-export-lock-"));
  process.env.FINEMED_HOME = home;
  env = { ...db.childEnv, FINEMED_HOME: home };
  const runId = await synthesizeForCuration(db, "pubmedqa-export-lock", 40);
  await refreshSamples(db, runId);
  const version = await createVersion(db, { name: "export lock", selection: { runIds: [runId] }, actor: "carol" });
  await submitVersion(db, version.id, "carol");
  await approveVersion(db, version.id, "alice", { actorRoles: ["approver"] });
  versionId = version.id;
}, 240_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

afterAll(async () => {
  if (previousHome === undefined) delete process.env.FINEMED_HOME;
  else process.env.FINEMED_HOME = previousHome;
  await db?.drop();
  if (home && db?.home !== home) rmSync(home, { recursive: true, force: true });
});

/** Another process holding `id`'s export lock, once it says so. */
async function holder(
  id: string,
): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string; said(line: string): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", HOLDER, id], { env });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const said = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.split("\n").includes(line)) resolve();
      };
      check();
      child.stdout.on("data", check);
      child.once("exit", (code, signal) => reject(new Error(`the holder exited (${code ?? signal}) before "${line}": ${output}`)));
    });
  await said("locked");
  return { child, output: () => output, said };
}

/** Whether a promise has settled yet, read at any time. */
function watch<T>(promise: Promise<T>): { settled: () => boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, pause(ms).then(() => Promise.reject(new Error(`${what} took over ${ms} ms`)))]);
}

describe("the export lock across processes", () => {
  it("makes a second exporter of the same version wait for the process holding it, and not one of another version", async () => {
    const id = randomUUID();
    const first = await holder(id);
    let waitedFor = "";
    const second = acquireExportLock(db, id, { onWait: (holding) => (waitedFor = holding) });
    const state = watch(second);

    const other = await within(acquireExportLock(db, randomUUID()), 5_000, "locking another version");
    await other.release();

    await pause(1_000);
    expect(state.settled()).toBe(false);
    // Told who holds it: the other process's database session, or the process itself on the embedded database.
    if (db.kind === "server")
      expect(waitedFor).toMatch(new RegExp(`^database session \\d+ \\(finemed export lock, process ${first.child.pid}\\)$`));
    else expect(waitedFor).toContain(`process ${first.child.pid} `);

    first.child.stdin.write("release\n");
    await first.said("released");
    const lock: ExportLock = await within(second, 10_000, "taking the lock once released");
    await lock.release();
  });

  it("is let go when its holder is killed", async () => {
    const id = randomUUID();
    const first = await holder(id);
    const second = acquireExportLock(db, id);
    const state = watch(second);
    await pause(500);
    expect(state.settled()).toBe(false);

    first.child.kill("SIGKILL");
    const lock = await within(second, 15_000, "taking the lock after its holder was killed");
    await lock.release();
    if (db.kind === "embedded") expect(existsSync(exportLockFile(id))).toBe(false);
  });

  it("makes the studio's Export wait while another process exports the version, then export it once", async () => {
    const first = await holder(versionId);
    const exported = ensureExport(db, versionId);
    const state = watch(exported);
    await pause(1_500);
    expect(state.settled()).toBe(false);
    // Nothing written while the other process holds the version.
    expect(existsSync(exportDir(versionId))).toBe(false);

    first.child.stdin.write("release\n");
    const stored = await within(exported, 60_000, "the export once released");
    expect(stored.manifest.dataset.versionId).toBe(versionId);
    expect(existsSync(join(exportDir(versionId), "manifest.json"))).toBe(true);

    // In one process, two calls at once share one export (as two clicks on Export do).
    const [a, b] = await Promise.all([ensureExport(db, versionId), ensureExport(db, versionId)]);
    expect(a).toBe(b);
    expect(a.manifest).toEqual(stored.manifest);
  }, 120_000);

  it("makes `finemed export` of the version wait, and say so, while another process holds it", async () => {
    const first = await holder(versionId);
    const out = join(home, "cli-export");
    let stderr = "";
    let writtenWhileWaiting: boolean | null = null;
    const result = await runCli(["export", "--dataset", versionId, "--out", out, "--allow-short-splits", "--json"], env, (child) => {
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (writtenWhileWaiting === null && stderr.includes("waiting for it")) {
          writtenWhileWaiting = existsSync(out);
          first.child.stdin.write("release\n");
        }
      });
    });
    expect(stderr).toContain(`another export of dataset version ${versionId} is running`);
    expect(writtenWhileWaiting).toBe(false);
    expect(result.code).toBe(0);
    expect(existsSync(join(out, "manifest.json"))).toBe(true);
  }, 120_000);
});

describe.runIf(!process.env.DATABASE_URL?.trim())("the embedded database", () => {
  it("breaks a lock file left by an earlier process that had this one's pid (a restarted container)", async () => {
    const id = randomUUID();
    const path = exportLockFile(id);
    mkdirSync(dirname(path), { recursive: true });
    const earlier = {
      pid: process.pid,
      host: hostname(),
      started: null,
      token: "earlier",
      versionId: id,
      since: "2026-01-01T00:00:00.000Z",
    };
    writeFileSync(path, JSON.stringify(earlier));
    const lock = await within(acquireExportLock(db, id), 5_000, "taking a lock its dead owner left");
    expect(readFileSync(path, "utf8")).not.toContain('"earlier"');
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it("shares one session between its clients, so an advisory lock would not keep a second exporter out", async () => {
    const clients = [new pg.Client({ connectionString: db.url }), new pg.Client({ connectionString: db.url })];
    try {
      for (const client of clients) await client.connect();
      const taken = [];
      for (const client of clients)
        taken.push(...(await queryRows(client, z.object({ locked: z.boolean() }), "SELECT pg_try_advisory_lock(4242) AS locked")));
      // On a server the second would be refused (false); PGlite grants both, to the one session.
      expect(taken).toEqual([{ locked: true }, { locked: true }]);
    } finally {
      for (const client of clients) await client.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
      for (const client of clients) await client.end();
    }
  });
});
