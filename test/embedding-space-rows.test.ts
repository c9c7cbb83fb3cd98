import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { queryRows, RowShapeError } from "../lib/db/checked-rows";
import { embeddingSpace, spaceVectorCount } from "../lib/embeddings/embedding-space";
import { encodeVector } from "../lib/vectors/vector-codec";

// An embedding space's row is parsed, not asserted: a stored encoding no code writes used to be read as
// f32 (and its vectors decoded with the wrong width); now the row is refused, naming the column.

let db: TestDatabase;
const insertedRow = z.object({ id: z.string() });

beforeAll(async () => {
  db = await openTestDatabase();
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe("embedding space rows", () => {
  it("reads a stored space and counts its vectors", async () => {
    const [inserted] = await queryRows(
      db.pool,
      insertedRow,
      `INSERT INTO embedding_spaces (embedder, kind, input, dimensions, encoding) VALUES ('backend:rows-f16', 'backend', 'instruction', 4, 'f16') RETURNING id`,
    );
    const id = inserted!.id;
    await db.pool.query(`INSERT INTO embeddings (space_id, instruction_id, vector) SELECT $1, * FROM unnest($2::bigint[], $3::bytea[])`, [
      id,
      ["11", "12"],
      [encodeVector([1, 0, 0, 0], "f16"), encodeVector([0, 1, 0, 0], "f16")],
    ]);
    await expect(embeddingSpace(db, id)).resolves.toMatchObject({
      id,
      kind: "backend",
      input: "instruction",
      dimensions: 4,
      encoding: "f16",
    });
    expect(await spaceVectorCount(db, id)).toBe(2);
  });

  it("refuses a space whose encoding no code writes, rather than decoding its vectors as f32", async () => {
    const [inserted] = await queryRows(
      db.pool,
      insertedRow,
      `INSERT INTO embedding_spaces (embedder, kind, input, dimensions, encoding) VALUES ('backend:rows-f64', 'backend', 'instruction', 4, 'f64') RETURNING id`,
    );
    const read = embeddingSpace(db, inserted!.id);
    await expect(read).rejects.toBeInstanceOf(RowShapeError);
    await expect(read).rejects.toMatchObject({ field: "encoding" });
  });
});
