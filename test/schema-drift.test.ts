import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { schemaCatalog } from "./support/catalog";
import { readMigrations } from "../lib/db/migrate";

/**
 * The migrations must build exactly the schema that prisma/schema.prisma describes: a reference
 * database is built from the SQL Prisma's schema engine derives from schema.prisma today, and its
 * catalog must equal the migrated database's.
 */
describe("migrations match schema.prisma", () => {
  let migrated: TestDatabase;
  let reference: TestDatabase;

  beforeAll(async () => {
    migrated = await openTestDatabase();
    reference = await openTestDatabase({ migrate: false });
    const sql = execFileSync(process.execPath, ["tools/db-diff.mjs"], { encoding: "utf8" });
    expect(sql).toContain("CREATE TABLE");
    await reference.pool.query(sql);
  }, 180_000);

  afterAll(async () => {
    await migrated?.drop();
    await reference?.drop();
  });

  it("has the same tables, columns, types, defaults, indexes, foreign keys and enums", async () => {
    const expected = await schemaCatalog(reference.pool);
    const actual = await schemaCatalog(migrated.pool);
    expect(expected.length).toBeGreaterThan(20);
    expect(actual).toEqual(expected);
  });

  it("records every migration as Prisma does", async () => {
    const rows = await migrated.pool.query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
      finished_at: Date | null;
    }>(`SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
    const onDisk = readMigrations();
    expect(rows.rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
    expect(rows.rows.map((r) => r.checksum)).toEqual(onDisk.map((m) => m.checksum));
    for (const row of rows.rows) {
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).not.toBeNull();
    }
  });
});
