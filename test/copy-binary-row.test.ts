import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyBinaryRow } from "../lib/db/copy-binary-row";
import { openTestDatabase, type TestDatabase } from "./support/test-database";

// On the server and on the embedded database (its wire front answers COPY too): the map's payload reads both this way.
describe("copyBinaryRow: a row's raw bytes through COPY, parameters inlined", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("gives what bind parameters give, for awkward text, arrays, numbers and NULL", async () => {
    const statement = `SELECT convert_to($1::text || array_to_string($2::text[], '|') || ($3::int8 + 1)::text || coalesce($4::text, 'null'), 'UTF8') AS bytes`;
    const values = [`O'Brien \\ "quoted" $1 ünïcode`, ['a"b', "c'd", "e\\f"], 41, null];
    const bound = await db.pool.query<{ bytes: Buffer }>(statement, values);
    const client = await db.pool.connect();
    try {
      const [copied] = await copyBinaryRow(client, statement, values);
      expect(copied?.toString("utf8")).toBe(bound.rows[0]!.bytes.toString("utf8"));
      // Bytes of every value, 0 to 255, come back as they are (no text decoding on the way).
      const [all] = await copyBinaryRow(
        client,
        "SELECT decode(string_agg(lpad(to_hex(b), 2, '0'), ''), 'hex') FROM generate_series(0, 255) b",
        [],
      );
      expect(Array.from(all!)).toEqual(Array.from({ length: 256 }, (_, b) => b));
    } finally {
      client.release();
    }
  });

  it("passes on the server's error", async () => {
    const client = await db.pool.connect();
    try {
      await expect(copyBinaryRow(client, "SELECT 1 / $1::int", [0])).rejects.toThrow(/division by zero/);
    } finally {
      client.release();
    }
  });
});
