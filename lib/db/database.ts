import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { configuredDatabaseUrl } from "./settings";
import { openEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";
import { migrate } from "./migrate";

/**
 * One handle on the studio's database, whichever home it lives in: Prisma for domain queries, and a
 * plain `pg` pool for the bulk paths (imports, COPY-like multi-row writes) Prisma has no API for.
 * Both go through the one pool: `prisma` is built on `pool`.
 */
export interface Database {
  url: string;
  embedded: boolean;
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

// BIGINT columns (row ids, counts) come back as JS numbers; ids stay below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface ConnectOptions {
  /** A PostgreSQL URL; default DATABASE_URL, else the embedded database. */
  url?: string;
  /** Use the embedded database in this FINEMED_HOME, even where DATABASE_URL is set. */
  home?: string;
  migrate?: boolean;
  poolSize?: number;
  /**
   * Longest a single statement may run (PostgreSQL statement_timeout) on a server; unset, no limit.
   * Set for the web's pool only: workers, imports and exports run long on purpose. Not applied to the
   * embedded database, whose connections share one session with every other process's.
   */
  statementTimeoutMs?: number;
}

/** The web's query limit in seconds (FINEMED_QUERY_TIMEOUT_SECONDS, default 20; 0 turns it off). */
export function queryTimeoutSeconds(): number {
  const value = Number(process.env.FINEMED_QUERY_TIMEOUT_SECONDS ?? 20);
  return Number.isFinite(value) && value >= 0 ? value : 20;
}

export async function connectDatabase(options: ConnectOptions = {}): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = options.home === undefined ? (options.url ?? configuredDatabaseUrl()) : null;
  if (!url) {
    embedded = await openEmbeddedDatabase(options.home);
    url = embedded.url;
  }
  // The embedded server runs one query at a time, so more connections only queue.
  const isEmbedded = embedded !== null || process.env.FINEMED_EMBEDDED === "1";
  const max = options.poolSize ?? (isEmbedded ? 4 : 10);
  // Sent as a startup parameter, so every connection (Prisma's and raw SQL's) carries it from its first query.
  const timeout =
    !isEmbedded && options.statementTimeoutMs && options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {};
  const pool = new pg.Pool({ connectionString: url, max, ...timeout });
  // An idle client losing its server (restart, network) must not crash the process; the next query
  // gets a fresh connection and its own error.
  pool.on("error", (error) => process.stderr.write(`[database] idle connection lost: ${error.message}\n`));
  pool.on("connect", (client) => client.on("error", (error) => process.stderr.write(`[database] connection lost: ${error.message}\n`)));
  try {
    if (options.migrate !== false) {
      // Migrations may rewrite large tables: they run on a connection without the statement limit.
      const migrationPool = "statement_timeout" in timeout ? new pg.Pool({ connectionString: url, max: 1 }) : pool;
      try {
        await migrate(migrationPool);
      } finally {
        if (migrationPool !== pool) await migrationPool.end();
      }
      embedded?.tightenFileModes();
    }
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
  // Prisma runs on the same pool, so a process holds `max` connections, not twice that. The adapter
  // leaves an external pool open on $disconnect (disposeExternalPool is off): close() ends it once.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed = false;
  return {
    url,
    embedded: isEmbedded,
    prisma,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}

const shared = globalThis as typeof globalThis & { finemedDatabase?: Promise<Database> };

/**
 * The web server's database: opened and migrated once per process. Its statements are cut off after
 * FINEMED_QUERY_TIMEOUT_SECONDS (the API answers 503 with the reason); writes in a transaction lift it.
 */
export function database(): Promise<Database> {
  shared.finemedDatabase ??= connectDatabase({ statementTimeoutMs: queryTimeoutSeconds() * 1000 }).catch((error: unknown) => {
    shared.finemedDatabase = undefined;
    throw error;
  });
  return shared.finemedDatabase;
}
