import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { focusQueuePage } from "@/lib/labels/focus-queue";
import { parseSampleQuery } from "@/lib/samples";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

const Own = z.object({
  queue: z.enum(["review", "filter"], { error: "queue is review or filter" }).default("filter"),
  low: z.coerce.number().finite().optional(),
});

/** GET /api/focus/queue?queue=review|filter&<the samples page's URL params>: one page of focus mode's queue. */
export const GET = withRole("viewer", async (request: Request) => {
  const params = new URL(request.url).searchParams;
  const own = Own.safeParse({ queue: params.get("queue") ?? undefined, low: params.get("low") ?? undefined });
  if (!own.success) return NextResponse.json({ error: describeIssues(own.error.issues) }, { status: 400 });
  params.delete("queue");
  params.delete("low");
  try {
    const query = parseSampleQuery(params);
    return NextResponse.json(await focusQueuePage(await database(), { kind: own.data.queue, query, lowRewardBelow: own.data.low }));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
