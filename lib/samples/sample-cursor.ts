import type { SampleSort } from "./sample-query";

/** Where a page ended in one sort order: the sort value (null in the trailing run of unscored rows) and the id. */
export interface SampleCursor {
  field: SampleSort["field"];
  direction: SampleSort["direction"];
  value: number | null;
  id: number;
  /** How the first page chose to apply full-text search, kept so later pages need not decide again. */
  textPlan?: "materialize" | "probe";
}

/** A cursor that does not decode, or belongs to another sort order. */
export class InvalidCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidCursorError";
  }
}

export function encodeCursor(cursor: SampleCursor): string {
  const fields: unknown[] = [cursor.field, cursor.direction, cursor.value, cursor.id];
  if (cursor.textPlan) fields.push(cursor.textPlan);
  return Buffer.from(JSON.stringify(fields)).toString("base64url");
}

export function decodeCursor(encoded: string, sort: SampleSort): SampleCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError("the page cursor is not valid");
  }
  if (!Array.isArray(parsed) || parsed.length < 4 || parsed.length > 5) throw new InvalidCursorError("the page cursor is not valid");
  const [field, direction, value, id, textPlan] = parsed as unknown[];
  if (field !== sort.field || direction !== sort.direction) {
    throw new InvalidCursorError(
      `the page cursor belongs to sort ${String(field)}.${String(direction)}, not ${sort.field}.${sort.direction}`,
    );
  }
  if ((value !== null && typeof value !== "number") || typeof id !== "number" || !Number.isSafeInteger(id)) {
    throw new InvalidCursorError("the page cursor is not valid");
  }
  if (textPlan !== undefined && textPlan !== "materialize" && textPlan !== "probe")
    throw new InvalidCursorError("the page cursor is not valid");
  return { field: sort.field, direction: sort.direction, value, id, ...(textPlan ? { textPlan } : {}) };
}
