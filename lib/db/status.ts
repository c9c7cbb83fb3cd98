import type { Database } from "./database";

export interface DatabaseStatus {
  embedded: boolean;
  serverVersion: string;
  migrations: { name: string; finishedAt: Date | null }[];
}

export async function databaseStatus(db: Database): Promise<DatabaseStatus> {
  const [migrations, server] = await Promise.all([
    db.pool.query<{ migration_name: string; finished_at: Date | null }>(
      `SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY migration_name`,
    ),
    db.pool.query<{ version: string }>("SELECT version()"),
  ]);
  return {
    embedded: db.embedded,
    serverVersion: server.rows[0]?.version.split(" on ")[0] ?? "unknown",
    migrations: migrations.rows.map((row) => ({ name: row.migration_name, finishedAt: row.finished_at })),
  };
}
