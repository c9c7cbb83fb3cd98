import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { apiKeyEnvProblem, backendTargetSchema } from "@/lib/runs/backend-check";
import { testConnection } from "@/lib/runs/connection-test";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

/** POST /api/backends/check { baseUrl, model, apiKeyEnv? } — the New-run form's "Test connection". */
export const POST = withRole("curator", async (request: Request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const target = backendTargetSchema.safeParse(body.value);
  if (!target.success) return NextResponse.json({ error: describeIssues(target.error.issues) }, { status: 400 });
  // Refused before any connection: nothing is sent for a variable the operator did not declare as a backend key.
  const keyProblem = apiKeyEnvProblem(target.data.apiKeyEnv);
  if (keyProblem) return NextResponse.json({ error: keyProblem }, { status: 400 });
  // An unreachable server is a successful check with ok: false and its reason.
  return NextResponse.json(await testConnection(target.data));
});
