import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { COMPARISON_FIELDS, scoreDistributions } from "@/lib/comparison";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

const Params = z.object({
  field: z.enum(COMPARISON_FIELDS),
  judging: z.array(z.uuid()).max(20),
  run: z.uuid().optional(),
});

/** GET /api/comparisons/distributions?field=quality&judging=ID&judging=ID&run=ID: FineMed beside each judging, aggregated in SQL. */
export const GET = withRole("viewer", async (request: Request) => {
  const search = new URL(request.url).searchParams;
  const parsed = Params.safeParse({
    field: search.get("field") ?? undefined,
    judging: search.getAll("judging"),
    run: search.get("run") || undefined,
  });
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  return NextResponse.json(await scoreDistributions(await database(), parsed.data.field, parsed.data.judging, parsed.data.run));
});
