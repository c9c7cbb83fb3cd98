import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { Database } from "../db/database";
import { finemedHome } from "../db/settings";
import { DatasetVersionNotFound } from "../datasets/dataset-errors";

// One export of a dataset version at a time, across every process that may write it: the web
// server (or several), `finemed export` and `finemed train`. A second exporter of the same version
// waits for the first and then finds its export; exporters of different versions never wait.
//
// On a PostgreSQL server the lock is a session advisory lock held on a connection of its own, so it
// covers processes on other machines and goes when the holder's connection does (a killed process).
// On the embedded database it cannot be: every client of the wire front shares PGlite's one session,
// where advisory locks are re-entrant (a second client is granted the lock the first holds) and
// outlive a killed client; the transaction-scoped variant would hold that one session for the whole
// export and stop every other statement. Embedded clients all run on this machine with this
// FINEMED_HOME (the database lives there), so a lock file there, made with O_EXCL, is sound; a file
// left by a process that died is recognised by its pid (and the pid's start time) and broken.

/** Held by whoever acquired it; release() is idempotent. */
export interface ExportLock {
  release(): Promise<void>;
}

export interface ExportLockOptions {
  /** Told once, when another exporter holds the version, before waiting for it. */
  onWait?: (holder: string) => void;
  /** How often a held lock file is looked at again (embedded database only). */
  pollMs?: number;
}

const uuid = z.uuid();

function requireVersionId(versionId: string): void {
  // The id names the lock file: only a version id (never a path) gets that far.
  if (!uuid.safeParse(versionId).success) throw new DatasetVersionNotFound(versionId);
}

/** Takes the version's export lock, waiting while another process (or another call here) holds it. */
export async function acquireExportLock(db: Database, versionId: string, options: ExportLockOptions = {}): Promise<ExportLock> {
  requireVersionId(versionId);
  return db.embedded ? acquireLockFile(exportLockFile(versionId), versionId, options) : acquireAdvisoryLock(db.url, versionId, options);
}

/** Runs `work` holding the version's export lock. */
export async function withExportLock<T>(
  db: Database,
  versionId: string,
  work: () => Promise<T>,
  options: ExportLockOptions = {},
): Promise<T> {
  const lock = await acquireExportLock(db, versionId, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

// ── PostgreSQL server: a session advisory lock ─────────────────────────────────────────────────────

// One bigint key per version, computed by the server so every process derives the same one.
const KEY = "hashtextextended('finemed-export:' || $1::text, 0)";
const lockedRow = z.object({ locked: z.boolean() });
const holderRow = z.object({ pid: z.number().int(), application_name: z.string().nullable() });

async function acquireAdvisoryLock(url: string, versionId: string, options: ExportLockOptions): Promise<ExportLock> {
  // A connection of its own, outside the pool: a session lock belongs to the connection that took it
  // and must stay on it until release, and an export also needs pool connections of its own (holding
  // one pool connection per running export could leave none for the exports themselves).
  const client = new pg.Client({ connectionString: url, application_name: `finemed export lock, process ${process.pid}` });
  // Losing it mid-export loses the lock (the server drops it with the session): said, not crashed on.
  client.on("error", (error) => process.stderr.write(`[export lock] connection lost for dataset version ${versionId}: ${error.message}\n`));
  try {
    await client.connect();
    // Waiting for another export may take minutes: no limit a URL's options may carry applies to it.
    await client.query("SET statement_timeout = 0; SET lock_timeout = 0");
    const [tried] = await queryRows(client, lockedRow, `SELECT pg_try_advisory_lock(${KEY}) AS locked`, [versionId]);
    if (!tried?.locked) {
      options.onWait?.(await advisoryHolder(client, versionId));
      // Waited for in the server, not polled: it is granted the moment the holder lets go.
      await client.query(`SELECT pg_advisory_lock(${KEY})`, [versionId]);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Ending the session releases its locks; the explicit unlock only makes that not wait on the server's notice.
      await client.query(`SELECT pg_advisory_unlock(${KEY})`, [versionId]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

async function advisoryHolder(client: pg.Client, versionId: string): Promise<string> {
  const [holder] = await queryRows(
    client,
    holderRow,
    `SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND ((l.classid::bigint << 32) | l.objid::bigint) = ${KEY}
      LIMIT 1`,
    [versionId],
  ).catch(() => []);
  return holder ? `database session ${holder.pid}${holder.application_name ? ` (${holder.application_name})` : ""}` : "another session";
}

// ── Embedded database: a lock file in FINEMED_HOME ─────────────────────────────────────────────────

/** Where the lock file of a version's export lives (embedded database only). */
export function exportLockFile(versionId: string, home = finemedHome()): string {
  return join(home, "locks", `export-${versionId}.lock`);
}

const ownerSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  /** The process's start time (Linux clock ticks since boot), so a reused pid is not taken for the owner. */
  started: z.string().nullable(),
  token: z.string(),
  versionId: z.string(),
  since: z.string(),
});
type LockOwner = z.output<typeof ownerSchema>;

/**
 * Tokens of the lock files this process holds or is making: a file naming this pid with another token
 * was left by an earlier process that had the same pid (a container restarted). Kept on globalThis so
 * that two copies of this module in one process (Next bundles routes apart) do not break each other's.
 */
const shared = globalThis as typeof globalThis & { finemedExportLockTokens?: Set<string> };
const heldHere = (shared.finemedExportLockTokens ??= new Set<string>());

// A breaker file is made and removed within milliseconds; one older than this was left by a crash.
const STALE_BREAKER_MS = 10_000;
// A lock file is created empty and written at once; empty for this long, its writer died in between.
const STALE_EMPTY_MS = 5_000;

function processStart(pid: number): string | null {
  try {
    // Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces and parentheses).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function ownerAlive(owner: LockOwner): boolean {
  // Another machine's process cannot be checked from here: taken to be alive.
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return heldHere.has(owner.token);
  if (!pidAlive(owner.pid)) return false;
  const started = processStart(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

type Reading = { kind: "absent" } | { kind: "owner"; owner: LockOwner; text: string } | { kind: "unreadable"; text: string; ageMs: number };

async function readLock(path: string): Promise<Reading> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (text === null) return { kind: "absent" };
  try {
    return { kind: "owner", owner: ownerSchema.parse(JSON.parse(text)), text };
  } catch {
    const info = await stat(path).catch(() => null);
    return info === null ? { kind: "absent" } : { kind: "unreadable", text, ageMs: Date.now() - info.mtimeMs };
  }
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await file.writeFile(content);
  } finally {
    await file.close();
  }
  return true;
}

/**
 * Removes a stale lock file, but only the one judged stale: breakers take turns through a breaker
 * file, so two waiters that both saw the dead owner cannot remove a live lock the other just made.
 */
async function breakStale(path: string, judged: string): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await createExclusive(breaker, String(process.pid)))) {
    // Another waiter is breaking it; its breaker is only removed here if that waiter died meanwhile.
    const info = await stat(breaker).catch(() => null);
    const holder = Number.parseInt(await readFile(breaker, "utf8").catch(() => ""), 10);
    const old = info !== null && Date.now() - info.mtimeMs > STALE_BREAKER_MS;
    if (old || (Number.isFinite(holder) && !pidAlive(holder))) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const again = await readFile(path, "utf8").catch(() => null);
    if (again === judged) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function acquireLockFile(path: string, versionId: string, options: ExportLockOptions): Promise<ExportLock> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    started: processStart(process.pid),
    token: randomBytes(8).toString("hex"),
    versionId,
    since: new Date().toISOString(),
  };
  const content = `${JSON.stringify(owner)}\n`;
  const pollMs = options.pollMs ?? 200;
  let told = false;
  // Known before the file exists: another call in this process reading it meanwhile sees a live owner.
  heldHere.add(owner.token);
  try {
    for (;;) {
      if (await createExclusive(path, content)) break;
      const found = await readLock(path);
      if (found.kind === "absent") continue;
      if (found.kind === "owner" ? !ownerAlive(found.owner) : found.ageMs > STALE_EMPTY_MS) {
        await breakStale(path, found.text);
        continue;
      }
      if (!told) {
        told = true;
        options.onWait?.(found.kind === "owner" ? `process ${found.owner.pid} since ${found.owner.since}` : "another process");
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } catch (error) {
    heldHere.delete(owner.token);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(owner.token);
      // Only our own file: had it been broken (judged stale by mistake), the new owner's is left alone.
      const current = await readFile(path, "utf8").catch(() => null);
      if (current === content) await unlink(path).catch(() => undefined);
    },
  };
}
