import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { diffVersions } from "@/lib/datasets";
import { describeIssues } from "@/lib/http/route-errors";
import { datasetErrorResponse, noSuchVersion } from "@/app/api/datasets/dataset-responses";

export const dynamic = "force-dynamic";

const Query = z.object({
  against: z.uuid({ error: "against must be a dataset version's id" }),
  limit: z.coerce.number().int().min(1).max(500).default(20),
});

/** GET /api/datasets/:id/diff?against=OTHER: what changed from OTHER to this version. */
export const GET = withRole("viewer", async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
  const url = new URL(request.url);
  const parsed = Query.safeParse({
    against: url.searchParams.get("against") ?? undefined,
    limit: url.searchParams.get("limit") ?? undefined,
  });
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    return NextResponse.json(await diffVersions(await database(), parsed.data.against, id, parsed.data.limit));
  } catch (error) {
    return datasetErrorResponse(error);
  }
});
