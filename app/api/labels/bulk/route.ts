import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { bulkRelabel, listBulkOperations, previewBulkRelabel } from "@/lib/labels";
import { describeIssues, readJsonBody } from "@/app/api/runs/json-body";
import { WEB_ACTOR } from "@/app/api/labels/actor";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { bulkBodySchema } from "@/app/api/labels/label-schemas";

export const dynamic = "force-dynamic";

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional(), before: z.iso.datetime().optional() });

/** GET /api/labels/bulk?limit=&before=: bulk operations, newest first. */
export async function GET(request: Request) {
  const parsed = ListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  return NextResponse.json({ operations: await listBulkOperations(await database(), parsed.data) });
}

/** POST /api/labels/bulk: { mode: "preview" } counts what would change; { mode: "apply", reason } changes it. */
export async function POST(request: Request) {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = bulkBodySchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  const db = await database();
  const input = parsed.data;
  try {
    if (input.mode === "preview") return NextResponse.json({ count: await previewBulkRelabel(db, input.selection, input.to) });
    const result = await bulkRelabel(db, input.selection, input.to, input.reason, WEB_ACTOR);
    return NextResponse.json(result, { status: 201 });
  } catch (error) {
    return curationErrorResponse(error);
  }
}
