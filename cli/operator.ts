import { userInfo } from "node:os";

/** Who a CLI action is recorded as: FINEMED_USER, else the operating-system user. */
export function operatorName(): string {
  const configured = process.env.FINEMED_USER?.trim();
  if (configured) return configured;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}
