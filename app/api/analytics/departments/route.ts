import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { departmentDistribution, parseSampleQuery } from "@/lib/samples";
import { describeIssues } from "@/lib/http/route-errors";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

export const dynamic = "force-dynamic";

const Params = z.object({ level: z.enum(["primary", "secondary"]).default("primary") });

/** GET /api/analytics/departments?level=primary&<sample filters>: model vs curated counts (kept samples without filters). */
export const GET = withRole("viewer", async (request: Request) => {
  const search = new URL(request.url).searchParams;
  const parsed = Params.safeParse({ level: search.get("level") ?? undefined });
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const { filters } = parseSampleQuery(search);
    const filtered = [...search.keys()].some((key) => key !== "level");
    return NextResponse.json(await departmentDistribution(await database(), parsed.data.level, filtered ? filters : undefined));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
