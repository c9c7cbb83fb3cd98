import type pg from "pg";
import type { z } from "zod";
import { queryRows } from "../db/checked-rows";

/**
 * A query's rows in batches through a server-side cursor, so memory holds one batch whatever the
 * split's size; every row is parsed with `row`. Needs an open transaction on `client`.
 */
export async function* cursorBatches<Row extends z.ZodType>(
  client: pg.PoolClient,
  row: Row,
  query: { text: string; values: unknown[] },
  batchSize: number,
): AsyncGenerator<z.output<Row>[]> {
  await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${query.text}`, query.values);
  let failed = false;
  try {
    for (;;) {
      const batch = await queryRows(client, row, `FETCH ${batchSize} FROM export_rows`);
      if (batch.length === 0) break;
      yield batch;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A failed FETCH aborts the transaction, whose rollback closes the cursor; a consumer that stops
    // early (or throws while writing) leaves it open, so it is closed here.
    if (!failed) await client.query("CLOSE export_rows");
  }
}
