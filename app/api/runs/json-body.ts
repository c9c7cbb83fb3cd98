import { NextResponse } from "next/server";

// Run configs and prompt templates are small; a larger body is a mistake or an attack, not a request.
const MAX_BODY_BYTES = 1024 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: NextResponse };

/** Reads a bounded JSON body, answering 413 or 400 with the reason when it cannot. */
export async function readJsonBody(request: Request): Promise<JsonBody> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return { ok: false, response: NextResponse.json({ error: `the body is larger than ${MAX_BODY_BYTES} bytes` }, { status: 413 }) };
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return { ok: false, response: NextResponse.json({ error: `the body is larger than ${MAX_BODY_BYTES} bytes` }, { status: 413 }) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: NextResponse.json({ error: "the body is not valid JSON" }, { status: 400 }) };
  }
}

/** zod issues as one line a curator can act on. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join(".") || "body"}: ${issue.message}`).join("; ");
}
