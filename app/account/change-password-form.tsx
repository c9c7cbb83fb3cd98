"use client";

import { showToast } from "@/components/toasts/toast-store";
import { useState, type FormEvent } from "react";
import { formText } from "@/components/form-text";

/** better-auth's /api/auth/change-password; other sessions of the user are signed out. */
export function ChangePasswordForm() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = formText(form, "newPassword");
    if (newPassword !== formText(form, "repeat")) {
      setMessage({ ok: false, text: "The two new passwords differ." });
      return;
    }
    const response = await fetch("/api/auth/change-password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ currentPassword: formText(form, "currentPassword"), newPassword, revokeOtherSessions: true }),
    });
    if (response.ok) {
      setMessage({ ok: true, text: "Password changed." });
      // The page reloads below; the toast survives it (sessionStorage).
      showToast("saved", "Password changed.");
      window.location.assign("/account");
      return;
    }
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    setMessage({ ok: false, text: body.message ?? `Refused (${response.status}).` });
  }

  const field = { font: "inherit", padding: "6px 8px", border: "1px solid #c5ccd4", borderRadius: 6 } as const;
  return (
    <form className="panel" onSubmit={submit} style={{ display: "grid", gap: 10, maxWidth: 420 }} aria-label="Change password">
      <label style={{ display: "grid", gap: 4 }}>
        Current password
        <input type="password" name="currentPassword" autoComplete="current-password" required style={field} />
      </label>
      <label style={{ display: "grid", gap: 4 }}>
        New password (at least 8 characters)
        <input type="password" name="newPassword" autoComplete="new-password" minLength={8} required style={field} />
      </label>
      <label style={{ display: "grid", gap: 4 }}>
        New password again
        <input type="password" name="repeat" autoComplete="new-password" minLength={8} required style={field} />
      </label>
      {message ? <p className={message.ok ? "status-ok" : "status-bad"}>{message.text}</p> : null}
      <button type="submit">Change password</button>
    </form>
  );
}
