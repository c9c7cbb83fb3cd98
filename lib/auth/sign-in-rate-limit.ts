import { z } from "zod";

const Limit = z.string().regex(/^\d+\/\d+$/, { error: "FINEMED_SIGN_IN_RATE_LIMIT is ATTEMPTS/SECONDS, e.g. 10/60" });

/** Sign-in attempts allowed per client address and window: FINEMED_SIGN_IN_RATE_LIMIT (ATTEMPTS/SECONDS), default 10 a minute. */
export function signInRateLimit(env: Readonly<Record<string, string | undefined>> = process.env): { max: number; window: number } {
  const configured = env.FINEMED_SIGN_IN_RATE_LIMIT?.trim();
  if (!configured) return { max: 10, window: 60 };
  const [max, window] = Limit.parse(configured).split("/").map(Number) as [number, number];
  if (max < 1 || window < 1) throw new Error("FINEMED_SIGN_IN_RATE_LIMIT needs at least 1 attempt in at least 1 second");
  return { max, window };
}
