import { isQueryTimeout, queryTimeoutReason } from "../db/query-timeout";

/** zod issues as one line a curator can act on. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join(".") || "body"}: ${issue.message}`).join("; ");
}

/** PostgreSQL's query_canceled (57014): the web pool's statement_timeout cut the query short. */
export function queryTimeoutResponse(error: unknown): Response | null {
  if (!isQueryTimeout(error)) return null;
  return Response.json({ error: queryTimeoutReason() }, { status: 503, headers: { "retry-after": "5" } });
}
