import type pg from "pg";
import type { Database } from "../lib/db/database";

/** One statement a lib call sent, kept so the bench can time the same SQL bare. */
export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/**
 * A Database whose pool (and the clients it lends for transactions) records every statement, so a
 * lib call's figure can stand beside the raw time of exactly the SQL it ran.
 */
export function recordingDatabase(db: Database): { db: Database; take(): RecordedStatement[] } {
  let recorded: RecordedStatement[] = [];
  const record = (text: unknown, values: unknown) => {
    if (typeof text === "string") recorded.push({ text, values: Array.isArray(values) ? values : [] });
  };
  const wrapClient = (client: pg.PoolClient): pg.PoolClient =>
    new Proxy(client, {
      get(target, property, receiver) {
        if (property === "query") {
          return (text: string, values?: unknown[]) => {
            record(text, values);
            return target.query(text, values);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const pool = new Proxy(db.pool, {
    get(target, property, receiver) {
      if (property === "query") {
        return (text: string, values?: unknown[]) => {
          record(text, values);
          return target.query(text, values);
        };
      }
      if (property === "connect") return async () => wrapClient(await target.connect());
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    db: { ...db, pool },
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
  };
}

/** Statements that are bookkeeping, not the request's query: transaction control and the taxonomy read. */
export function isRequestQuery(statement: RecordedStatement): boolean {
  const text = statement.text.trim();
  return !/^(BEGIN|COMMIT|ROLLBACK)$/i.test(text) && !/FROM departments ORDER BY level/.test(text);
}
