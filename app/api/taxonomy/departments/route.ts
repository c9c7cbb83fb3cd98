import { WEB_ACTOR } from "@/app/api/labels/actor";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { addDepartment } from "@/lib/taxonomy";
import { describeIssues, readJsonBody } from "@/app/api/runs/json-body";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { addDepartmentSchema } from "@/app/api/taxonomy/taxonomy-schemas";

export const dynamic = "force-dynamic";

/** POST /api/taxonomy/departments { level, name, parent? }: a new department. */
export async function POST(request: Request) {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = addDepartmentSchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    return NextResponse.json(await addDepartment(await database(), parsed.data, WEB_ACTOR), { status: 201 });
  } catch (error) {
    return curationErrorResponse(error);
  }
}
