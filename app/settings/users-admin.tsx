"use client";

import { useState, type FormEvent } from "react";
import { ROLES } from "@/lib/auth/roles";
import type { UserView } from "@/lib/auth/users";
import type { ServiceTokenView } from "@/lib/auth/service-tokens";

/** The server's reason for a refusal, in its words. */
function refusalOf(document: Record<string, unknown>): string {
  return typeof document.error === "string" ? document.error : "refused";
}

async function send(url: string, method: string, body: unknown): Promise<{ ok: boolean; document: Record<string, unknown> }> {
  const response = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { ok: response.ok, document: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** Users and service tokens (admin only; every change is also refused by the server to anyone else). */
export function UsersAdmin({
  users: initialUsers,
  tokens: initialTokens,
  self,
}: {
  users: UserView[];
  tokens: ServiceTokenView[];
  self: string;
}) {
  const [users, setUsers] = useState(initialUsers);
  const [tokens, setTokens] = useState(initialTokens);
  const [error, setError] = useState<string | null>(null);
  const [shownToken, setShownToken] = useState<{ name: string; token: string } | null>(null);

  function replaceUser(user: UserView) {
    setUsers((list) => list.map((u) => (u.id === user.id ? user : u)));
  }

  async function createUser(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await send("/api/users", "POST", {
      email: form.get("email"),
      name: form.get("name") || undefined,
      role: form.get("role"),
      password: form.get("password"),
    });
    if (!result.ok) return setError(refusalOf(result.document));
    setError(null);
    setUsers((list) => [...list, result.document as unknown as UserView]);
    formElement.reset();
  }

  async function changeUser(user: UserView, change: { role?: string; disabled?: boolean }) {
    const result = await send(`/api/users/${user.id}`, "PATCH", change);
    if (!result.ok) return setError(refusalOf(result.document));
    setError(null);
    replaceUser(result.document as unknown as UserView);
  }

  async function createToken(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await send("/api/tokens", "POST", { name: form.get("name"), role: form.get("role") });
    if (!result.ok) return setError(refusalOf(result.document));
    setError(null);
    const { token, ...view } = result.document as unknown as ServiceTokenView & { token: string };
    setShownToken({ name: view.name, token });
    setTokens((list) => [...list, view]);
    formElement.reset();
  }

  async function revoke(token: ServiceTokenView) {
    const result = await send(`/api/tokens/${token.id}/revoke`, "POST", {});
    if (!result.ok) return setError(refusalOf(result.document));
    setTokens((list) => list.map((t) => (t.id === token.id ? (result.document as unknown as ServiceTokenView) : t)));
  }

  return (
    <>
      {error ? (
        <p className="conflict" role="alert">
          {error}
        </p>
      ) : null}
      <h2>Users</h2>
      <table className="grid" data-testid="users">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-testid="user-row">
              <td>{user.email}</td>
              <td>{user.name}</td>
              <td>
                <select
                  aria-label={`Role of ${user.email}`}
                  value={user.role}
                  onChange={(event) => void changeUser(user, { role: event.target.value })}
                  disabled={user.email === self}
                >
                  {ROLES.map((role) => (
                    <option key={role}>{role}</option>
                  ))}
                </select>
              </td>
              <td>
                {user.disabled ? "disabled" : "enabled"}{" "}
                {user.email === self ? null : (
                  <button
                    type="button"
                    className="secondary small-button"
                    onClick={() => void changeUser(user, { disabled: !user.disabled })}
                  >
                    {user.disabled ? "Enable" : "Disable"}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="stack panel" onSubmit={createUser} aria-label="New user" style={{ marginTop: 12 }}>
        <label>
          Email
          <input type="text" name="email" required />
        </label>
        <label>
          Name
          <input type="text" name="name" />
        </label>
        <label>
          Role
          <select name="role" defaultValue="viewer">
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <label>
          Initial password (changed at first sign-in)
          <input
            type="password"
            name="password"
            minLength={8}
            required
            style={{ font: "inherit", padding: "6px 8px", border: "1px solid #c5ccd4", borderRadius: 6 }}
          />
        </label>
        <div>
          <button type="submit">Create user</button>
        </div>
      </form>

      <h2>Service tokens</h2>
      <p className="muted small">
        For the CLI (FINEMED_TOKEN) and scripts (Authorization: Bearer …). A token is shown once, when it is created; only its sha256 is
        stored.
      </p>
      {shownToken ? (
        <p className="confirm" data-testid="new-token">
          Token <strong>{shownToken.name}</strong> (copy it now; it is not shown again): <code>{shownToken.token}</code>
        </p>
      ) : null}
      <table className="grid" data-testid="tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Prefix</th>
            <th>Created by</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td>{token.role}</td>
              <td>
                <code>{token.prefix}…</code>
              </td>
              <td>{token.createdBy}</td>
              <td className="small">{token.lastUsedAt ?? "never"}</td>
              <td>
                {token.revokedAt ? (
                  <span className="muted">revoked</span>
                ) : (
                  <button type="button" className="secondary small-button" onClick={() => void revoke(token)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="stack panel" onSubmit={createToken} aria-label="New service token" style={{ marginTop: 12 }}>
        <label>
          Name
          <input type="text" name="name" required />
        </label>
        <label>
          Role
          <select name="role" defaultValue="curator">
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <div>
          <button type="submit">Create token</button>
        </div>
      </form>
    </>
  );
}
