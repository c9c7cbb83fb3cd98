import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";
import type { Database } from "./database";

/**
 * Statements that must commit with every transaction opened inside a scope, or stop it (the audit's
 * commit mark); what it returns is called once that transaction has committed.
 */
export type CommitHook = (client: pg.PoolClient) => Promise<(() => void) | void>;

const commitHooks = new AsyncLocalStorage<CommitHook>();

/** Runs `work` so that each inTransaction inside it runs `hook` on its client just before COMMIT. */
export function withCommitHook<T>(hook: CommitHook, work: () => Promise<T>): Promise<T> {
  return commitHooks.run(hook, work);
}

/** Runs `work` in one transaction on one pooled client; any throw rolls everything back. */
export async function inTransaction<T>(db: Pick<Database, "pool">, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    // Transactions are the write paths (bulk relabels, dataset freezes, merges) that may rightly run
    // long: the web pool's statement limit, meant for reads, does not apply inside them.
    await client.query("SET LOCAL statement_timeout = 0");
    const result = await work(client);
    // A hook that fails (the audit event cannot be marked) rolls the change back with it.
    const committed = await commitHooks.getStore()?.(client);
    await client.query("COMMIT");
    committed?.();
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
