import { Pool } from "undici";
import { BackendError, redactSecret } from "./backendError";

// One HTTP attempt and nothing more: retries, breaker and limiter live in the client so their policy is
// in one place. undici's Pool instead of fetch: fetch's WHATWG Request/Response/streams layer cost
// MEASURED_PLACEHOLDER

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

// uvicorn (vLLM, SGLang) closes idle connections after 5 s without announcing it, so reuse must stop
// before that; servers that send Keep-Alive: timeout=N are honoured by undici (N minus 2 s).
const KEEP_ALIVE_MS = 4_000;

const pools = new Map<string, Pool>();

// The client's limiter caps requests in flight per role, so an unbounded pool opens exactly as many
// connections as that cap (summed over roles sharing a server) and never queues behind itself.
function route(url: string): { pool: Pool; path: string } {
  // "scheme://authority" ends at the first slash after "//"; cheaper than new URL() per request.
  const authorityEnd = url.indexOf("/", url.indexOf("//") + 2);
  const key = authorityEnd === -1 ? url : url.slice(0, authorityEnd);
  const path = authorityEnd === -1 ? "/" : url.slice(authorityEnd);
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = new Pool(new URL(key).origin, { connections: null, pipelining: 1, keepAliveTimeout: KEEP_ALIVE_MS });
    pools.set(key, pool);
  }
  return { pool, path };
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function timeoutError(attempt: HttpAttempt): BackendError {
  return new BackendError({ kind: "timeout", endpoint: attempt.endpoint, message: `${attempt.endpoint} timed out after ${attempt.timeoutMs} ms` });
}

function classify(error: unknown, attempt: HttpAttempt): BackendError {
  const code = causeCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return timeoutError(attempt);
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  // Every other failure (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET "other side closed", a pool torn
  // down) means "try again, maybe elsewhere". The cause is not attached: it may quote the request.
  return new BackendError({
    kind: "connection",
    endpoint: attempt.endpoint,
    message: redactSecret(`${attempt.endpoint} connection failed: ${detail}`, attempt.apiKey),
  });
}

class DeadlineExceeded extends Error {}

export async function sendHttp(attempt: HttpAttempt): Promise<HttpReply> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (attempt.body !== undefined) headers["content-type"] = "application/json";
  if (attempt.apiKey !== undefined) headers.authorization = `Bearer ${attempt.apiKey}`;
  const { pool, path } = route(attempt.url);
  // headers/body timeouts alone would not cover connecting; one timer bounds the whole attempt and
  // undici's own 300 s defaults are lifted to the call's timeout so long generations are not cut short.
  try {
    const response = await pool.request({
      path,
      method: attempt.method,
      headers,
      body: attempt.body,
      signal: attempt.signal,
      headersTimeout: attempt.timeoutMs,
      bodyTimeout: attempt.timeoutMs,
    });
    // Read to the end even for error statuses: a fully consumed body hands the socket back to the pool,
    // and a socket dropped mid-body surfaces here, inside the same try.
    const text = await response.body.text();
    const retryAfter = response.headers["retry-after"];
    return { status: response.statusCode, text, retryAfter: typeof retryAfter === "string" ? retryAfter : (retryAfter?.[0] ?? null) };
  } catch (error) {
    if (attempt.signal?.aborted === true) throw attempt.signal.reason;
    throw classify(error, attempt);
  }
}
