import type pg from "pg";

/**
 * A query's rows in batches through a server-side cursor, so memory holds one batch whatever the
 * split's size. Needs an open transaction on `client`.
 */
export async function* cursorBatches<T extends pg.QueryResultRow>(
  client: pg.PoolClient,
  query: { text: string; values: unknown[] },
  batchSize: number,
): AsyncGenerator<T[]> {
  await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${query.text}`, query.values);
  let failed = false;
  try {
    for (;;) {
      const batch = await client.query<T>(`FETCH ${batchSize} FROM export_rows`);
      if (batch.rows.length === 0) break;
      yield batch.rows;
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
