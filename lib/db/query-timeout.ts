import { queryTimeoutSeconds } from "./database";

/** PostgreSQL's query_canceled (57014): the web pool's statement_timeout cut the query short. */
export function isQueryTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "57014";
}

/** The reason given to a caller whose query was stopped by the web pool's statement_timeout. */
export function queryTimeoutReason(): string {
  return `the query took longer than ${queryTimeoutSeconds()} s and was stopped; narrow the filter or try again when the studio is less busy`;
}
