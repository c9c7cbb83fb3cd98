// Typed failures so callers can decide per kind (retry later, mark a sample failed, alert an operator)
// without parsing messages. Messages and excerpts are redacted: an API key must never reach a log.

export type BackendErrorKind = "http" | "timeout" | "connection" | "circuit-open" | "invalid-response";

export interface BackendErrorDetails {
  kind: BackendErrorKind;
  message: string;
  endpoint: string;
  status?: number;
  bodyExcerpt?: string;
  attempts?: number;
  /** The network error code (ECONNREFUSED, ENOTFOUND…) behind a connection or timeout failure. */
  code?: string;
  cause?: unknown;
}

export class BackendError extends Error {
  readonly kind: BackendErrorKind;
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly bodyExcerpt: string | undefined;
  readonly code: string | undefined;
  /** Attempts made before giving up; set by the client once the retry loop ends. */
  attempts: number;

  constructor(details: BackendErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "BackendError";
    this.kind = details.kind;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.bodyExcerpt = details.bodyExcerpt;
    this.code = details.code;
    this.attempts = details.attempts ?? 1;
  }
}

// Nothing answers at that address: no process listening, no such host, no route, no handshake. Unlike a reset
// or a timeout on an answered connection (an overloaded server), retrying for minutes does not help; the
// run says so at once and checks again cheaply.
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** The server cannot be reached at all (as opposed to reached and failing). */
export function isUnreachable(error: unknown): error is BackendError {
  return (
    error instanceof BackendError &&
    (error.kind === "connection" || error.kind === "timeout" || error.kind === "circuit-open") &&
    error.code !== undefined &&
    UNREACHABLE_CODES.has(error.code)
  );
}

const EXCERPT_CHARS = 500;

/** Removes every occurrence of the secret (and of its Bearer form) from text shown to humans. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0) return text;
  return text.split(secret).join("[redacted]");
}

export function bodyExcerpt(text: string, secret: string | undefined): string {
  // Redact before cutting, so a key straddling the cut cannot leak half of itself.
  const clean = redactSecret(text, secret);
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS)}…` : clean;
}

/** A base URL safe to print: credentials embedded in it are dropped. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(invalid url)";
  }
}
