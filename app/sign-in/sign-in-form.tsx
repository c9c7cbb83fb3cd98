"use client";

import { useState, type FormEvent } from "react";
import { formText } from "@/components/form-text";

/** Posts to better-auth's /api/auth/sign-in/email; it sets the HttpOnly session cookie. */
export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: formText(form, "email"), password: formText(form, "password") }),
      });
      if (response.ok) {
        // A full navigation, so the server renders the studio with the new session.
        window.location.assign(next);
        return;
      }
      if (response.status === 429) setError("Too many attempts: wait a minute and try again.");
      else {
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        setError(response.status === 401 ? "Wrong email or password." : (body.message ?? `Sign-in failed (${response.status}).`));
      }
    } catch {
      setError("The studio did not answer.");
    }
    setBusy(false);
  }

  return (
    <form className="panel" onSubmit={submit} style={{ display: "grid", gap: 12 }} aria-label="Sign in">
      <label style={{ display: "grid", gap: 4 }}>
        Email
        <input type="text" name="email" autoComplete="username" required inputMode="email" />
      </label>
      <label style={{ display: "grid", gap: 4 }}>
        Password
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          style={{ font: "inherit", padding: "6px 8px", border: "1px solid #c5ccd4", borderRadius: 6 }}
        />
      </label>
      {error ? (
        <p className="status-bad" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
