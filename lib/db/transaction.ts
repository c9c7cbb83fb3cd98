import type pg from "pg";
import type { Database } from "./database";

/** Runs `work` in one transaction on one pooled client; any throw rolls everything back. */
export async function inTransaction<T>(db: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    // Transactions are the write paths (bulk relabels, dataset freezes, merges) that may rightly run
    // long: the web pool's statement limit, meant for reads, does not apply inside them.
    await client.query("SET LOCAL statement_timeout = 0");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
