import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { roleKeyProblem, rolesAreSimulated } from "@/lib/runs/backend-check";
import { createRun, RunConfigError } from "@/lib/runs/create-run";
import { listRunProgress } from "@/lib/runs/run-list";
import { checkRunConfig } from "@/lib/runs/run-config";
import { readJsonBody } from "@/lib/http/json-body";

export const dynamic = "force-dynamic";

export const GET = withRole("viewer", async () => {
  const db = await database();
  return NextResponse.json({ runs: await listRunProgress(db) });
});

/** Body: a run config (runConfigSchema), optionally with `simulated: true`. */
export const POST = withRole("curator", async (request: Request, _context: unknown, actor: Actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (body.value === null || typeof body.value !== "object" || Array.isArray(body.value)) {
    return NextResponse.json({ error: "the body must be a run config object" }, { status: 400 });
  }
  const { simulated: declared, ...input } = body.value as Record<string, unknown>;
  if (declared !== undefined && typeof declared !== "boolean")
    return NextResponse.json({ error: "simulated must be true or false" }, { status: 400 });
  const check = checkRunConfig(input);
  if (!check.ok) return NextResponse.json({ error: check.reason }, { status: 400 });
  const keyProblem = roleKeyProblem(check.config.roles);
  if (keyProblem) return NextResponse.json({ error: keyProblem }, { status: 400 });
  // Asked of the servers themselves, so a simulator's run is marked as such whatever the form said.
  const simulated = declared === true || (await rolesAreSimulated(check.config.roles));
  const db = await database();
  try {
    const created = await createRun(db, check.config, actor.name, { simulated });
    return NextResponse.json({ ...created, simulated }, { status: 201 });
  } catch (error) {
    if (error instanceof RunConfigError) return NextResponse.json({ error: error.message }, { status: 400 });
    throw error;
  }
});
