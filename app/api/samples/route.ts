import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { pageSamples, parseSampleQuery } from "@/lib/samples";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

export const dynamic = "force-dynamic";

/** GET /api/samples?<the samples page's URL params>: one keyset page and the cursor of the next. */
export const GET = withRole("viewer", async (request: Request) => {
  try {
    const query = parseSampleQuery(new URL(request.url).searchParams);
    return NextResponse.json(await pageSamples(await database(), query));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
