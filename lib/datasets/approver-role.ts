import { ROLES, roleAllows, type Role } from "../auth/roles";

/** The role that may approve or reject a dataset version. */
export const APPROVER_ROLE: Role = "approver";

/**
 * The one place that decides who approves: an actor whose role (from the signed-in session, the
 * service token or the CLI user, checked on the server) is approver or above. A caller that knows
 * no role gets a refusal.
 */
export function hasApproverRole(_actor: string, actorRoles?: readonly string[]): boolean {
  return (actorRoles ?? []).some((role) => (ROLES as readonly string[]).includes(role) && roleAllows(role as Role, APPROVER_ROLE));
}
