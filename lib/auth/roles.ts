/** The studio's roles, weakest first: each role may do everything the roles before it may. */
export const ROLES = ["viewer", "curator", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  /** The name recorded in audit trails (a user's email or name, or a service token's name). */
  name: string;
  role: Role;
}

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
