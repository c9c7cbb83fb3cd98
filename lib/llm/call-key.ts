import { createHash } from "node:crypto";
import { normalizeBaseUrl } from "./roles";

// Every backend call is stored under this key so a resumed or repeated run reuses it instead of paying
// again; canonical JSON (sorted keys, undefined dropped) makes the key independent of property order.

export interface BackendCallKeyInput {
  baseUrl: string;
  model: string;
  /** Path such as "/v1/chat/completions". */
  endpoint: string;
  messages?: unknown;
  input?: unknown;
  /** Every other request parameter that changes the answer (sampling, n, response_format, ...). */
  params?: Record<string, unknown>;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== "function")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function backendCallKey(call: BackendCallKeyInput): string {
  const canonical = canonicalJson({
    baseUrl: normalizeBaseUrl(call.baseUrl),
    model: call.model,
    endpoint: call.endpoint,
    messages: call.messages,
    input: call.input,
    params: call.params ?? {},
  });
  return createHash("sha256").update(canonical).digest("hex");
}
