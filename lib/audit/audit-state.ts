/**
 * How far an audited change got, read from its event (see write-ahead-audit): "done" once its result
 * was recorded; "committed" when its transaction committed but the result was never recorded (the
 * process stopped in between); "pending" when no marked transaction of it committed (it was never
 * confirmed); "failed" when it ended in an error.
 */
export type AuditState = "done" | "committed" | "pending" | "failed";

export function auditState(details: Record<string, unknown>): AuditState {
  const outcome = details.outcome;
  if (outcome === "error") return "failed";
  if (outcome === "committed") return "committed";
  if (outcome === "pending") return "pending";
  return "done";
}
