"use client";

import { createContext, useContext, type ReactNode } from "react";
import { roleAllows, type Role } from "@/lib/auth/roles";

// The signed-in role, for hiding what it may not do. The server refuses those actions anyway
// (withRole); this only keeps the UI from offering them.
const RoleContext = createContext<Role>("viewer");

export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

export function useRole(): Role {
  return useContext(RoleContext);
}

/** Its children for a role at least `needs`, else a short note saying which role it takes. */
export function RoleGate({ needs, what, children }: { needs: Role; what: string; children: ReactNode }) {
  if (roleAllows(useRole(), needs)) return <>{children}</>;
  return (
    <p className="muted" data-testid="needs-role">
      {what} needs the {needs} role.
    </p>
  );
}

/**
 * Why the signed-in role may not do `what` (null when it may), in the words shown beside a disabled
 * control, so a curator reads the reason before clicking instead of meeting a 403 after.
 */
export function useRoleRefusal(needs: Role, what: string): string | null {
  const role = useRole();
  return roleAllows(role, needs)
    ? null
    : `${what} needs the ${needs} role; you are signed in as ${role === "admin" || role === "approver" ? "an" : "a"} ${role}.`;
}

/** The reason beside a control the role may not use; nothing when it may. */
export function RoleReason({ refusal }: { refusal: string | null }) {
  if (refusal === null) return null;
  return (
    <span className="muted small role-reason" data-testid="role-reason">
      {refusal}
    </span>
  );
}
