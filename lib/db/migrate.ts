import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { z } from "zod";
import { studioPath } from "../install/studio-root";
import { queryRows } from "./checked-rows";

/**
 * Applies prisma/migrations/<name>/migration.sql in order, each in its own transaction, under an
 * advisory lock so concurrent starts cannot race, and records them in `_prisma_migrations` exactly as
 * Prisma does (same columns, sha256 checksum of the file) so `prisma migrate status` agrees with us.
 * Prisma's own `migrate deploy` needs an engine binary these machines cannot download.
 */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

const LOCK_KEY = 72_707_369; // arbitrary constant shared by every studio process

export function migrationsDir(): string {
  // The checkout the code runs from (source or dist/); Next bundles this file elsewhere, so also the working directory.
  const candidates = [studioPath("prisma/migrations"), join(process.cwd(), "prisma/migrations")];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`prisma/migrations not found (looked in ${candidates.join(", ")})`);
  return found;
}

export function readMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function migrate(pool: pg.Pool, migrations: Migration[] = readMigrations()): Promise<MigrateResult> {
  const client = await pool.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query(MIGRATIONS_TABLE);
    for (const migration of migrations) {
      // The check happens inside the locked transaction, so a second process waiting on the lock sees
      // the first one's commit and skips instead of applying twice.
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
        const [recorded] = await queryRows(
          client,
          z.object({ checksum: z.string() }),
          `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          [migration.name],
        );
        const checksum = recorded?.checksum;
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new Error(`it was edited after it was applied (checksum ${checksum} in the database, ${migration.checksum} on disk)`);
          }
          result.alreadyApplied.push(migration.name);
        } else {
          const startedAt = new Date();
          await client.query(migration.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
            [randomUUID(), migration.checksum, migration.name, startedAt],
          );
          result.applied.push(migration.name);
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    client.release();
  }
  return result;
}
