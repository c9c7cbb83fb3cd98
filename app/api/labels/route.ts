import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { relabel } from "@/lib/labels";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { relabelBodySchema } from "@/app/api/labels/label-schemas";

export const dynamic = "force-dynamic";

/** POST /api/labels: one sample's curated department; 409 names who changed it since the version sent. */
export const POST = withRole("curator", async (request: Request, _context: unknown, actor: Actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = relabelBodySchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const result = await relabel(await database(), { ...parsed.data, actor: actor.name });
    return NextResponse.json(result);
  } catch (error) {
    return curationErrorResponse(error);
  }
});
