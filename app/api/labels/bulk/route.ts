import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { bulkRelabel, bulkRelabelBreakdown, listBulkOperations } from "@/lib/labels";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { bulkBodySchema } from "@/app/api/labels/label-schemas";

export const dynamic = "force-dynamic";

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional(), before: z.iso.datetime().optional() });

/** GET /api/labels/bulk?limit=&before=: bulk operations, newest first. */
export const GET = withRole("viewer", async (request: Request) => {
  const parsed = ListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  return NextResponse.json({ operations: await listBulkOperations(await database(), parsed.data) });
});

/** POST /api/labels/bulk: { mode: "preview" } gives the breakdown (change, unchanged, excluded); { mode: "apply", reason } changes it. */
export const POST = withRole("curator", async (request: Request, _context: unknown, actor: Actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = bulkBodySchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  const db = await database();
  const input = parsed.data;
  try {
    if (input.mode === "preview") return NextResponse.json(await bulkRelabelBreakdown(db, input.selection, input.to));
    const result = await bulkRelabel(db, input.selection, input.to, input.reason, actor.name);
    return NextResponse.json(result, { status: 201 });
  } catch (error) {
    return curationErrorResponse(error);
  }
});
