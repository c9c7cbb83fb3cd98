import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { resumeJudging } from "@/lib/comparison";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** POST /api/comparisons/judgings/:id/resume: queues again the batches that still have instructions waiting. */
export const POST = withRole("curator", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "not a judging id" }, { status: 400 });
  return NextResponse.json({ batches: await resumeJudging(await database(), parsed.data.id) });
});
