import { userInfo } from "node:os";

/** The operating-system user, for names of processes that act without a signed-in actor (bootstrap). */
export function operatorName(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}
