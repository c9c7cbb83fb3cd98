// The studio's API answers errors as { error, ...details }; this reads either shape into one result
// so every caller shows the server's reason instead of a bare status code.

export type ApiAnswer<T> = { ok: true; value: T } | { ok: false; status: number; error: string; details: Record<string, unknown> };

export async function sendJson<T>(url: string, method: "GET" | "POST" | "PATCH", body?: unknown): Promise<ApiAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    return { ok: false, status: 0, error: "the studio did not answer", details: {} };
  }
  const parsed: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: parsed as T };
  const details = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  const error = typeof details.error === "string" ? details.error : `the server answered ${response.status}`;
  return { ok: false, status: response.status, error, details };
}
