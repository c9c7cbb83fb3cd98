"use client";

import Link from "next/link";

/** The signed-in user, their role and sign-out, at the foot of the sidebar. */
export function UserMenu({ name, role, mustChangePassword }: { name: string; role: string; mustChangePassword: boolean }) {
  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    window.location.assign("/sign-in");
  }
  return (
    <div className="db-badge" data-testid="user-menu">
      <div data-testid="current-user">{name}</div>
      <div>
        role: <span data-testid="current-role">{role}</span>
      </div>
      {mustChangePassword ? (
        <div>
          <Link href="/account" style={{ color: "#fbbf24" }}>
            Choose a new password
          </Link>
        </div>
      ) : (
        <div>
          <Link href="/account" style={{ color: "#8fa6b6" }}>
            Account
          </Link>
        </div>
      )}
      <button type="button" className="secondary small-button" onClick={signOut} style={{ marginTop: 8 }}>
        Sign out
      </button>
    </div>
  );
}
