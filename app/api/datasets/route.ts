import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { createVersion, datasetSelectionSchema, listVersions } from "@/lib/datasets";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { datasetErrorResponse } from "@/app/api/datasets/dataset-responses";

export const dynamic = "force-dynamic";

const CreateBody = z.object({
  name: z.string().trim().min(1, { error: "a dataset version needs a name" }).max(200),
  selection: datasetSelectionSchema,
});

export const GET = withRole("viewer", async () => {
  return NextResponse.json({ versions: await listVersions(await database()) });
});

/** Body: { name, selection: { runIds, filters } }; freezes a draft version. */
export const POST = withRole("curator", async (request: Request, _context: unknown, actor: Actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = CreateBody.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const version = await createVersion(await database(), { ...parsed.data, actor: actor.name });
    return NextResponse.json(version, { status: 201 });
  } catch (error) {
    return datasetErrorResponse(error);
  }
});
