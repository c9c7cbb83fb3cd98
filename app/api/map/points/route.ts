import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { parseMapPointsParams, POINT_PAYLOAD_CONTENT_TYPE, ProjectionNotFoundError, readMapPoints } from "@/lib/map-points";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

/** GET /api/map/points?projection=ID&highlight=&<the /samples filter params>: the points as one binary payload. */
export const GET = withRole("viewer", async (request: Request) => {
  try {
    const payload = await readMapPoints(await database(), parseMapPointsParams(new URL(request.url).searchParams));
    return new Response(payload, { headers: { "content-type": POINT_PAYLOAD_CONTENT_TYPE, "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof ZodError) return NextResponse.json({ error: describeIssues(error.issues) }, { status: 400 });
    if (error instanceof ProjectionNotFoundError) return NextResponse.json({ error: error.message }, { status: 404 });
    throw error;
  }
});
