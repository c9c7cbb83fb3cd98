import { execFile, execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const BIN = process.env.FINEMED_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/**
 * A PostgreSQL 15 server of the test's own, in a temporary data directory on a free port: a test may
 * restart or stop it without disturbing the shared server other test files use.
 */
export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Whether this machine can run a private server (the postgresql-15 package, and root to drop to `postgres`). */
export function privatePostgresAvailable(): boolean {
  return existsSync(join(BIN, "initdb")) && existsSync(join(BIN, "pg_ctl")) && process.getuid?.() === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function asPostgres(tool: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  // initdb and the server refuse to run as root.
  return run("runuser", ["-u", "postgres", "--", join(BIN, tool), ...args], { timeout: 60_000 });
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`private PostgreSQL at ${url} not ready: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), "finemed-pg-"));
  chmodSync(root, 0o755);
  const dataDir = join(root, "data");
  const socketDir = join(root, "socket");
  const log = join(root, "server.log");
  for (const dir of [dataDir, socketDir]) {
    await run("mkdir", ["-p", dir]);
    chownSync(dir, uid("postgres"), gid("postgres"));
  }
  chownSync(root, uid("postgres"), gid("postgres"));
  await asPostgres("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const ctl = (action: string, extra: string[] = []) => asPostgres("pg_ctl", [action, "-D", dataDir, "-l", log, "-o", options, ...extra]);
  let running = false;
  const handle: PrivatePostgres = {
    url,
    port,
    async start() {
      await ctl("start", ["-w", "-t", "60"]);
      running = true;
      await waitReady(url, 30_000);
    },
    async stop() {
      await asPostgres("pg_ctl", ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "60"]);
      running = false;
    },
    async restart() {
      await ctl("restart", ["-m", "fast", "-w", "-t", "60"]);
      running = true;
      await waitReady(url, 30_000);
    },
    async destroy() {
      if (running) await handle.stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}

function uid(user: string): number {
  return Number(execFileSync("id", ["-u", user]).toString().trim());
}

function gid(user: string): number {
  return Number(execFileSync("id", ["-g", user]).toString().trim());
}
