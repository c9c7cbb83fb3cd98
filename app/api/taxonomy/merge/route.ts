import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { mergeDepartments } from "@/lib/labels";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { mergeDepartmentsSchema } from "@/app/api/taxonomy/taxonomy-schemas";

export const dynamic = "force-dynamic";

/** POST /api/taxonomy/merge { fromId, intoId, reason }: moves labels from one department into another, audited. */
export const POST = withRole("admin", async (request: Request, _context: unknown, actor: Actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = mergeDepartmentsSchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    return NextResponse.json(await mergeDepartments(await database(), { ...parsed.data, actor: actor.name }));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
