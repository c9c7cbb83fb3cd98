import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { MAX_FAILURE_PAGE, runFailures } from "@/lib/runs/run-detail";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });
const Query = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_FAILURE_PAGE).default(20),
});

/** GET /api/runs/:id/failures?before=ID&limit=N — older failed items, newest first. */
export const GET = withRole("viewer", async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such run" }, { status: 404 });
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return NextResponse.json({ error: describeIssues(query.error.issues) }, { status: 400 });
  const page = await runFailures(await database(), parsed.data.id, { before: query.data.before ?? null, limit: query.data.limit });
  return NextResponse.json(page);
});
