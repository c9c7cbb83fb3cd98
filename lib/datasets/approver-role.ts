/** The role that may approve or reject a dataset version. */
export const APPROVER_ROLE = "approver";

/**
 * The one place that decides who approves. Until the security issue brings accounts and roles, an
 * actor is an approver when the caller vouches for the role (`actorRoles`, e.g. from a future
 * session) or when the name is listed in FINEMED_APPROVERS (comma-separated). That issue replaces
 * this function; every caller goes through it.
 */
export function hasApproverRole(actor: string, actorRoles?: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (actorRoles !== undefined) return actorRoles.includes(APPROVER_ROLE);
  const listed = (env.FINEMED_APPROVERS ?? "").split(",").map((name) => name.trim()).filter((name) => name !== "");
  return listed.includes(actor.trim());
}
