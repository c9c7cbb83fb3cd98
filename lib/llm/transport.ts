import { BackendError, redactSecret } from "./backendError";

// One HTTP attempt and nothing more: retries, breaker and limiter live in the client so their policy is
// in one place. Plain fetch (undici, keep-alive by default in Node 20) instead of the openai package:
// fewer layers on the hot path, and the SDK's own retries and timeouts would fight ours.

export interface HttpAttempt {
  url: string;
  method: "GET" | "POST";
  endpoint: string;
  body?: string;
  apiKey?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpReply {
  status: number;
  text: string;
  retryAfter: string | null;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function classify(error: unknown, attempt: HttpAttempt): BackendError {
  const name = error !== null && typeof error === "object" ? (error as { name?: unknown }).name : undefined;
  if (name === "TimeoutError") {
    return new BackendError({ kind: "timeout", endpoint: attempt.endpoint, message: `${attempt.endpoint} timed out after ${attempt.timeoutMs} ms` });
  }
  const code = causeCode(error);
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  // fetch reports every network-level failure as TypeError("fetch failed") with the socket error as its
  // cause (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, ...): all of them mean "try again, maybe elsewhere".
  return new BackendError({
    kind: "connection",
    endpoint: attempt.endpoint,
    message: redactSecret(`${attempt.endpoint} connection failed: ${detail}`, attempt.apiKey),
  });
}

export async function sendHttp(attempt: HttpAttempt): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(attempt.timeoutMs);
  const signal = attempt.signal === undefined ? timeout : AbortSignal.any([timeout, attempt.signal]);
  const headers: Record<string, string> = { accept: "application/json" };
  if (attempt.body !== undefined) headers["content-type"] = "application/json";
  if (attempt.apiKey !== undefined) headers.authorization = `Bearer ${attempt.apiKey}`;
  try {
    const response = await fetch(attempt.url, { method: attempt.method, headers, body: attempt.body, signal });
    // Reading the body is inside the same try: a socket dropped mid-body surfaces here too.
    const text = await response.text();
    return { status: response.status, text, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    // A caller's own cancellation is not a backend failure; hand it back untouched.
    if (attempt.signal?.aborted === true && !timeout.aborted) throw attempt.signal.reason;
    throw classify(error, attempt);
  }
}
