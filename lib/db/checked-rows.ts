import type pg from "pg";
import type { z } from "zod";

/** A pool or one of its clients (inside inTransaction): anything that runs a statement. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

/** A row that did not have the shape its query promised: a schema drifted from the code that reads it. */
export class RowShapeError extends Error {
  constructor(
    readonly query: string,
    readonly field: string,
    detail: string,
  ) {
    super(`query ${query} returned a row whose ${field} ${detail}`);
  }
}

/** The statement as an error names it: its first words, on one line. */
function queryName(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(line.length > 90 ? `${line.slice(0, 87)}...` : line);
}

/**
 * Runs a statement and parses every row it returns with `row`, so the row type is what the schema
 * checked, not what a type argument on `query` asserted. The first row that does not fit throws a
 * RowShapeError naming the statement and the field.
 */
export async function queryRows<Row extends z.ZodType>(
  client: Queryable,
  row: Row,
  text: string,
  values: readonly unknown[] = [],
): Promise<z.output<Row>[]> {
  const result = await client.query(text, [...values]);
  const rows: readonly unknown[] = result.rows;
  return rows.map((raw) => {
    const parsed = row.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "row";
    throw new RowShapeError(queryName(text), field, `is not as expected (${issue.message})`);
  });
}
