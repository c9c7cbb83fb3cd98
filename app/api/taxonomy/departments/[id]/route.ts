import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { renameDepartment } from "@/lib/taxonomy";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { departmentIdSchema, renameDepartmentSchema } from "@/app/api/taxonomy/taxonomy-schemas";

export const dynamic = "force-dynamic";

/** PATCH /api/taxonomy/departments/:id { name }: renames; the old name stays an alias for the classifier. */
export const PATCH = withRole("admin", async (request: Request, { params }: { params: Promise<{ id: string }> }, actor: Actor) => {
  const id = departmentIdSchema.safeParse(await params);
  if (!id.success) return NextResponse.json({ error: "no such department" }, { status: 404 });
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = renameDepartmentSchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    return NextResponse.json(await renameDepartment(await database(), id.data.id, parsed.data.name, actor.name));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
