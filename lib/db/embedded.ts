import { randomBytes } from "node:crypto";
import { openSync, closeSync, readFileSync, writeFileSync, rmSync, existsSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { createConnection } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { serveEmbedded } from "./embedded-wire-server";
import { ensurePrivateHome, sweepPrivateModes } from "./embedded-file-modes";
import { finemedHome } from "./settings";

/**
 * The embedded database: PGlite (PostgreSQL in WebAssembly) in FINEMED_HOME/pgdata, served on loopback
 * over the PostgreSQL wire protocol so that every process (web, workers, CLI) reaches it over the same wire protocol
 * and the same Prisma + adapter-pg code path as a real server. Only one process may open the data
 * directory, so the first one owns it and writes its port to FINEMED_HOME/embedded-db.json. Clients
 * present the password kept in FINEMED_HOME/embedded-db-password (0600, made on first start): being
 * able to read FINEMED_HOME is what entitles a process to the database.
 */
export interface EmbeddedDatabase {
  url: string;
  owned: boolean;
  /** Takes group/other permissions off the data files now (after migrations made new ones); a no-op for a joining process. */
  tightenFileModes(): void;
  stop(): Promise<void>;
}

interface OwnerRecord {
  pid: number;
  port: number;
}

function ownerFile(home: string): string {
  return join(home, "embedded-db.json");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once("error", () => resolvePort(false));
  });
}

function readOwner(home: string): OwnerRecord | null {
  try {
    const record = JSON.parse(readFileSync(ownerFile(home), "utf8")) as Partial<OwnerRecord>;
    if (typeof record.pid === "number" && typeof record.port === "number") return { pid: record.pid, port: record.port };
  } catch {
    // absent or half-written: treated as no owner
  }
  return null;
}

function passwordFile(home: string): string {
  return join(home, "embedded-db-password");
}

/** The embedded database's password: generated once into FINEMED_HOME (0600); concurrent starters keep the first. */
export function embeddedDatabasePassword(home = finemedHome()): string {
  const file = passwordFile(home);
  const stored = safeRead(file).trim();
  if (stored.length >= 32) return stored;
  ensurePrivateHome(home);
  try {
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch {
    // another process wrote it first (or a short one is there: replaced below)
  }
  let password = safeRead(file).trim();
  if (password.length < 32) {
    password = randomBytes(32).toString("base64url");
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return password;
}

function urlFor(port: number, password: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** The URL (with its password) of the embedded database that FINEMED_HOME/embedded-db.json names, or null. */
export function embeddedDatabaseUrl(home = finemedHome()): string | null {
  const owner = readOwner(home);
  return owner ? urlFor(owner.port, embeddedDatabasePassword(home)) : null;
}

async function liveOwnerUrl(home: string): Promise<string | null> {
  const owner = readOwner(home);
  if (!owner || owner.pid === process.pid || !isAlive(owner.pid) || !(await portAnswers(owner.port))) return null;
  return urlFor(owner.port, embeddedDatabasePassword(home));
}

/**
 * How long a client may sit idle inside a transaction before the shared session is taken back
 * (FINEMED_EMBEDDED_IDLE_TRANSACTION_SECONDS, default 10).
 */
function idleInTransactionMs(): number {
  const seconds = Number(process.env.FINEMED_EMBEDDED_IDLE_TRANSACTION_SECONDS ?? 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 10_000;
}

/** Joins the process that serves the embedded database, or starts serving it from this process. */
export async function openEmbeddedDatabase(home = finemedHome()): Promise<EmbeddedDatabase> {
  ensurePrivateHome(home);
  const lockPath = join(home, "embedded-db.lock");
  for (let attempt = 0; attempt < 200; attempt++) {
    const existing = await liveOwnerUrl(home);
    if (existing) return { url: existing, owned: false, tightenFileModes: () => undefined, stop: async () => {} };
    let lock: number;
    try {
      lock = openSync(lockPath, "wx", 0o600);
    } catch {
      // Another process is starting the database (or died while doing so): wait, then look again.
      const holder = Number.parseInt(safeRead(lockPath), 10);
      if (Number.isFinite(holder) && !isAlive(holder)) rmSync(lockPath, { force: true });
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      writeFileSync(lock, String(process.pid));
      const again = await liveOwnerUrl(home);
      if (again) return { url: again, owned: false, tightenFileModes: () => undefined, stop: async () => {} };
      return await startOwner(home);
    } finally {
      closeSync(lock);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not open the embedded database in ${home}: another process holds ${lockPath}`);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

async function startOwner(home: string): Promise<EmbeddedDatabase> {
  const dataDir = join(home, "pgdata");
  const password = embeddedDatabasePassword(home);
  sweepPrivateModes(home);
  const db = await PGlite.create({ dataDir });
  sweepPrivateModes(dataDir);
  const server = await serveEmbedded(db, { password, idleInTransactionMs: idleInTransactionMs() });
  const port = server.port;
  writeFileSync(ownerFile(home), JSON.stringify({ pid: process.pid, port } satisfies OwnerRecord), { mode: 0o600 });
  chmodSync(ownerFile(home), 0o600);
  // New relation and WAL files come 0666 from PGlite: tightened every few seconds (the 0700 home guards meanwhile).
  const sweeper = setInterval(() => sweepPrivateModes(dataDir), 5_000);
  sweeper.unref();
  let stopped = false;
  return {
    url: urlFor(port, password),
    owned: true,
    tightenFileModes: () => sweepPrivateModes(dataDir),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweeper);
      await server.stop();
      await db.close();
      sweepPrivateModes(dataDir);
      const owner = readOwner(home);
      if (owner?.pid === process.pid && existsSync(ownerFile(home))) rmSync(ownerFile(home), { force: true });
    },
  };
}
