import { isQueryTimeout, queryTimeoutReason } from "../db/query-timeout";

// PostgreSQL answers a bad value or a lost race with an error code and a message written for a DBA
// ("invalid byte sequence for encoding "UTF8": 0x00"). Each code a request can cause is answered here
// with a status a client can act on and a reason in the user's words; the raw text never leaves.

interface DatabaseError {
  code: string;
  severity: string;
}

/** A PostgreSQL error (node-postgres' DatabaseError): a five-character SQLSTATE and a severity. */
export function isDatabaseError(error: unknown): error is DatabaseError {
  if (error === null || typeof error !== "object") return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && typeof severity === "string";
}

const ANSWERS: Record<string, { status: number; error: string }> = {
  "23505": { status: 409, error: "another request made the same change at the same moment; reload to see it" },
  "23503": { status: 409, error: "this refers to something that was removed at the same moment; reload and try again" },
  "40P01": { status: 409, error: "this change collided with another one made at the same moment; try again" },
  "40001": { status: 409, error: "this change collided with another one made at the same moment; try again" },
  "55P03": { status: 409, error: "what this changes is busy with another change; try again" },
  "22021": { status: 400, error: "a value in the request contains a NUL character, which the studio cannot store or search for" },
  "22P05": { status: 400, error: "a value in the request contains a NUL character, which the studio cannot store or search for" },
  "22P02": { status: 400, error: "a value in the request is not in the expected form (a number, an id or a date)" },
  "22007": { status: 400, error: "a date or time in the request cannot be read; use e.g. 2026-11-22 or 2026-11-22T10:00Z" },
  "22008": { status: 400, error: "a date or time in the request is out of range" },
  "22003": { status: 400, error: "a number in the request is out of range (a cursor or an id that cannot exist)" },
  "22001": { status: 400, error: "a value in the request is longer than the studio stores" },
  "23502": { status: 400, error: "a required value is missing from the request" },
  "23514": { status: 400, error: "a value in the request is not allowed here" },
};

/** True for the errors worth retrying the whole transaction for: a deadlock or a serialization failure. */
export function isTransactionConflict(error: unknown): boolean {
  return isDatabaseError(error) && (error.code === "40P01" || error.code === "40001");
}

/** The answer to a database error, or null when the error is not one a request can cause. */
export function databaseErrorResponse(error: unknown): Response | null {
  if (isQueryTimeout(error)) return Response.json({ error: queryTimeoutReason() }, { status: 503, headers: { "retry-after": "5" } });
  if (!isDatabaseError(error)) return null;
  const answer = ANSWERS[error.code];
  return answer ? Response.json({ error: answer.error }, { status: answer.status }) : null;
}
