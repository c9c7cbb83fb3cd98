import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { queryRows, RowShapeError } from "../lib/db/checked-rows";
import { openTestDatabase, type TestDatabase } from "./support/test-database";

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase({ migrate: false });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe("queryRows (rows parsed by a schema, not asserted by a generic)", () => {
  it("returns the rows as the schema parsed them: dates as Dates, nulls where allowed, extra columns dropped", async () => {
    const rows = await queryRows(
      db.pool,
      z.object({ id: z.number().int(), at: z.date(), note: z.string().nullable() }),
      "SELECT i AS id, now() AS at, CASE WHEN i = 2 THEN NULL ELSE 'n' || i END AS note, 'ignored' AS extra FROM generate_series(1, $1::int) AS i",
      [3],
    );
    expect(rows.map((row) => [row.id, row.note])).toEqual([
      [1, "n1"],
      [2, null],
      [3, "n3"],
    ]);
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(Object.keys(rows[0]!)).toEqual(["id", "at", "note"]);
  });

  it("refuses a row that does not fit, naming the statement and the field", async () => {
    const reading = queryRows(
      db.pool,
      z.object({ id: z.number(), created_at: z.date() }),
      "SELECT 1 AS id,\n   'yesterday'::text AS created_at",
    );
    await expect(reading).rejects.toBeInstanceOf(RowShapeError);
    await expect(reading).rejects.toThrow(
      /query "SELECT 1 AS id, 'yesterday'::text AS created_at" returned a row whose created_at is not as expected/,
    );
  });

  it("names a missing column", async () => {
    await expect(queryRows(db.pool, z.object({ role: z.string() }), "SELECT 'curator' AS rôle")).rejects.toMatchObject({ field: "role" });
  });

  it("works on a client inside a transaction and returns no rows as an empty list", async () => {
    const client = await db.pool.connect();
    try {
      expect(await queryRows(client, z.object({ n: z.number() }), "SELECT 1 AS n WHERE false")).toEqual([]);
    } finally {
      client.release();
    }
  });
});
