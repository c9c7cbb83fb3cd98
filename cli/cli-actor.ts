import { roleAllows, type Actor, type Role } from "../lib/auth/roles";
import { CommandError } from "./command";
import { operatorName } from "./operator";

/**
 * Who runs this CLI command, checked against the role it needs. The security issue (7) replaces the
 * body with a named user or service token looked up in the database; until then the operator is admin.
 */
export async function requireCliRole(needed: Role): Promise<Actor> {
  const actor: Actor = { name: operatorName(), role: "admin" };
  if (!roleAllows(actor.role, needed)) throw new CommandError(`forbidden: this needs the ${needed} role; ${actor.name} is ${actor.role}`, 1);
  return actor;
}
