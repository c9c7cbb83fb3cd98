import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { MAX_NEIGHBOURS, NeighbourQueryError, sampleNeighbours } from "@/lib/neighbours";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

const Query = z.object({
  instructionId: z.string().regex(/^\d{1,18}$/, "instructionId must be a sample's id"),
  k: z.coerce.number().int().min(1).max(MAX_NEIGHBOURS).default(10),
  spaceId: z.uuid().optional(),
});

/** ?instructionId=&k=[&spaceId=] → {space: {embedder}, neighbours: [{instructionId, similarity, instruction, primaryId, secondaryId}]}. */
export const GET = withRole("viewer", async (request) => {
  const search = new URL(request.url).searchParams;
  const parsed = Query.safeParse({
    instructionId: search.get("instructionId") ?? undefined,
    k: search.get("k") ?? undefined,
    spaceId: search.get("spaceId") ?? undefined,
  });
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const { instructionId, k, spaceId } = parsed.data;
    return NextResponse.json(await sampleNeighbours(await database(), BigInt(instructionId), { k, ...(spaceId ? { spaceId } : {}) }));
  } catch (error) {
    if (error instanceof NeighbourQueryError) return NextResponse.json({ error: error.message }, { status: error.status });
    throw error;
  }
});
