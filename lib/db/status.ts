import { z } from "zod";
import type { Database } from "./database";
import { queryRows } from "./checked-rows";

const migrationRow = z.object({ migration_name: z.string(), finished_at: z.date().nullable() });

export interface DatabaseStatus {
  embedded: boolean;
  serverVersion: string;
  migrations: { name: string; finishedAt: Date | null }[];
}

export async function databaseStatus(db: Database): Promise<DatabaseStatus> {
  const [migrations, server] = await Promise.all([
    queryRows(
      db.pool,
      migrationRow,
      `SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY migration_name`,
    ),
    queryRows(db.pool, z.object({ version: z.string() }), "SELECT version()"),
  ]);
  return {
    embedded: db.embedded,
    serverVersion: server[0]?.version.split(" on ")[0] ?? "unknown",
    migrations: migrations.map((row) => ({ name: row.migration_name, finishedAt: row.finished_at })),
  };
}
