import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { backendTargetSchema } from "@/lib/runs/backend-check";
import { testConnection } from "@/lib/runs/connection-test";
import { describeIssues, readJsonBody } from "@/app/api/runs/json-body";

export const dynamic = "force-dynamic";

/** POST /api/backends/check { baseUrl, model, apiKeyEnv? } — the New-run form's "Test connection". */
export const POST = withRole("curator", async (request: Request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const target = backendTargetSchema.safeParse(body.value);
  if (!target.success) return NextResponse.json({ error: describeIssues(target.error.issues) }, { status: 400 });
  // An unreachable server is a successful check with ok: false and its reason.
  return NextResponse.json(await testConnection(target.data));
});
