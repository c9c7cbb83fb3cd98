import type pg from "pg";

/** A pool or a client inside a transaction: taxonomy reads must see the caller's transaction. */
export type SqlRunner = pg.Pool | pg.PoolClient;
