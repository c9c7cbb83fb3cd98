import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { HISTOGRAM_FIELDS, HISTOGRAM_GROUPS, parseSampleQuery, scoreQuartiles } from "@/lib/samples";
import { describeIssues } from "@/app/api/runs/json-body";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

export const dynamic = "force-dynamic";

const Params = z.object({ field: z.enum(HISTOGRAM_FIELDS), by: z.enum(HISTOGRAM_GROUPS).optional() });

/** GET /api/analytics/quartiles?field=quality&by=tier&<sample filters>: min, quartiles, max and mean per group (the largest groups), from SQL. */
export async function GET(request: Request) {
  const search = new URL(request.url).searchParams;
  const parsed = Params.safeParse({ field: search.get("field") ?? undefined, by: search.get("by") ?? undefined });
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const { filters } = parseSampleQuery(search);
    return NextResponse.json(await scoreQuartiles(await database(), parsed.data.field, filters, parsed.data.by));
  } catch (error) {
    return curationErrorResponse(error);
  }
}
