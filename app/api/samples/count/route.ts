import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { countSamples, parseSampleQuery } from "@/lib/samples";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

export const dynamic = "force-dynamic";

/** GET /api/samples/count?<filters>: exact up to the lib's cap, an estimate (exact: false) above it. */
export const GET = withRole("viewer", async (request: Request) => {
  try {
    const { filters } = parseSampleQuery(new URL(request.url).searchParams);
    return NextResponse.json(await countSamples(await database(), filters));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
