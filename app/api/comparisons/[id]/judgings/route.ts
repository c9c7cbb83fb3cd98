import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { judgingRequestSchema, JudgingRequestError, startJudging } from "@/lib/comparison";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** POST /api/comparisons/:id/judgings {sampleSize, seed, judge: {baseUrl, model} | {runId}}: queues a judging of a seeded sample. */
export const POST = withRole("curator", async (request: Request, { params }: { params: Promise<{ id: string }> }, actor: Actor) => {
  const id = Params.safeParse(await params);
  if (!id.success) return NextResponse.json({ error: "not a comparison dataset id" }, { status: 400 });
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = judgingRequestSchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    return NextResponse.json(await startJudging(await database(), id.data.id, parsed.data, actor.name), { status: 201 });
  } catch (error) {
    if (error instanceof JudgingRequestError) return NextResponse.json({ error: error.message }, { status: 400 });
    throw error;
  }
});
