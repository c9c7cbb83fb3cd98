import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { LOG_STREAMS, MAX_LOG_BYTES, readJobLog } from "@/lib/training";
import { describeIssues } from "@/lib/http/route-errors";
import { noSuchChain, trainingErrorResponse } from "@/app/api/training/training-responses";

export const dynamic = "force-dynamic";

const Query = z.object({
  stream: z.enum(LOG_STREAMS).default("out"),
  bytes: z.coerce.number().int().min(1).max(MAX_LOG_BYTES).default(64_000),
});
const Params = z.object({ id: z.uuid(), jobId: z.string().regex(/^[0-9a-z_-]{1,64}$/i) });

/** GET ?stream=out|err&bytes=N: the tail of a stage job's log (bounded), or text null before it starts. */
export const GET = withRole("viewer", async (request: Request, { params }: { params: Promise<{ id: string; jobId: string }> }) => {
  const ids = Params.safeParse(await params);
  if (!ids.success) return noSuchChain((await params).id);
  const query = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return NextResponse.json({ error: describeIssues(query.error.issues) }, { status: 400 });
  try {
    return NextResponse.json(await readJobLog(await database(), ids.data.id, ids.data.jobId, query.data.stream, query.data.bytes));
  } catch (error) {
    return trainingErrorResponse(error);
  }
});
