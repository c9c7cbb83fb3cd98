/** Keys whose values are credentials: never stored in the audit log or printed. */
const SECRET_KEY = /(pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential)/i;
// Values that look like bearer keys even under an innocent key name (sk-…, fm_… service tokens, JWTs).
const SECRET_VALUE = /^(sk-[A-Za-z0-9_-]{8,}|fm_[A-Za-z0-9_-]{16,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** A copy of `value` with secret-looking entries replaced by "***" (names like apiKeyEnv are kept: they name a variable). */
export function maskSecrets<T>(value: T): T {
  return mask(value, "") as T;
}

function mask(value: unknown, key: string): unknown {
  if (typeof value === "string") {
    if (SECRET_KEY.test(key) && !/env$/i.test(key) && value !== "") return "***";
    return SECRET_VALUE.test(value) ? "***" : value;
  }
  if (Array.isArray(value)) return value.map((entry) => mask(entry, key));
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, mask(entry, name)]));
  }
  return value;
}
