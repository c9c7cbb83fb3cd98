import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createConnection } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { serveEmbedded } from "./embedded-wire-server";
import { finemedHome } from "./settings";

/**
 * The embedded database: PGlite (PostgreSQL in WebAssembly) in FINEMED_HOME/pgdata, served on loopback
 * over the PostgreSQL wire protocol so that every process (web, workers, CLI) reaches it over the same wire protocol
 * and the same Prisma + adapter-pg code path as a real server. Only one process may open the data
 * directory, so the first one owns it and writes its port to FINEMED_HOME/embedded-db.json.
 */
export interface EmbeddedDatabase {
  url: string;
  owned: boolean;
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

function urlFor(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

async function liveOwnerUrl(home: string): Promise<string | null> {
  const owner = readOwner(home);
  if (owner && owner.pid !== process.pid && isAlive(owner.pid) && (await portAnswers(owner.port))) return urlFor(owner.port);
  return null;
}

/** Joins the process that serves the embedded database, or starts serving it from this process. */
export async function openEmbeddedDatabase(home = finemedHome()): Promise<EmbeddedDatabase> {
  mkdirSync(home, { recursive: true });
  const lockPath = join(home, "embedded-db.lock");
  for (let attempt = 0; attempt < 200; attempt++) {
    const existing = await liveOwnerUrl(home);
    if (existing) return { url: existing, owned: false, stop: async () => {} };
    let lock: number;
    try {
      lock = openSync(lockPath, "wx");
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
      if (again) return { url: again, owned: false, stop: async () => {} };
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
  const db = await PGlite.create({ dataDir });
  const server = await serveEmbedded(db);
  const port = server.port;
  writeFileSync(ownerFile(home), JSON.stringify({ pid: process.pid, port } satisfies OwnerRecord));
  let stopped = false;
  return {
    url: urlFor(port),
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      const owner = readOwner(home);
      if (owner?.pid === process.pid && existsSync(ownerFile(home))) rmSync(ownerFile(home), { force: true });
    },
  };
}
