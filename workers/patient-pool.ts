import type pg from "pg";
import { RETRYABLE_ERROR_CODES } from "graphile-worker/dist/lib.js";

// graphile-worker 0.17 marks a job completed or failed without awaiting it, and retries only a few
// error codes (serialization, "starting up", host unreachable). A refused connection while PostgreSQL
// restarts therefore became an unhandled rejection that killed the worker process mid-run (found by
// test/fault-postgres-restart.test.ts). The queue gets the same pool, but a connection it asks for
// waits for the server to come back instead of failing at once.

/** Errors that mean "the server is not there right now", not "this query is wrong". */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, in recovery)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

// The same holds for a query on a pooled connection that the restart has just ended: graphile-worker's
// retry of its own bookkeeping (complete or fail a job) knows only serialization failures, "starting up"
// and a lost host, so "terminating connection" (57P01) escaped as an unhandled rejection and killed the
// worker (test/fault-postgres-restart.test.ts, once in CI). Its table of retryable codes gets ours; each
// retry takes a fresh connection, which waits for the server through patientPool.
for (const code of UNREACHABLE) RETRYABLE_ERROR_CODES[code] ??= { minDelay: 200, maxDelay: 10_000 };

export function isServerUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNREACHABLE.has(code)) return true;
  return /Connection terminated|terminating connection|the database system is (starting up|shutting down)/i.test(error.message);
}

export interface PatientPoolOptions {
  /** Longest a connection request waits for the server before its error is passed on. */
  maxWaitMs: number;
  /** Stops the waiting early (the worker is stopping). */
  giveUp: () => boolean;
  onRetry?: (error: Error, waitedMs: number) => void;
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/** `pool` itself for every use but connect(), which retries while the server is unreachable. */
export function patientPool(pool: pg.Pool, options: PatientPoolOptions): pg.Pool {
  async function connectPatiently(): Promise<pg.PoolClient> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await pool.connect();
      } catch (error) {
        const waited = Date.now() - started;
        if (!isServerUnreachable(error) || waited >= options.maxWaitMs || options.giveUp()) throw error;
        options.onRetry?.(error as Error, waited);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 200 * 2 ** Math.min(attempt, 5))));
      }
    }
  }
  function connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    if (!callback) return connectPatiently();
    connectPatiently().then(
      (client) => callback(undefined, client, (release) => client.release(release as boolean | Error | undefined)),
      (error: Error) => callback(error, undefined, () => undefined),
    );
    return undefined;
  }
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === "connect") return connect;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
