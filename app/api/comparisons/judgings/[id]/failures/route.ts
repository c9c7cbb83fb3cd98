import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { listJudgingFailures } from "@/lib/comparison";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** GET /api/comparisons/judgings/:id/failures: failed judgements with their reasons and raw outputs. */
export const GET = withRole("viewer", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "not a judging id" }, { status: 400 });
  return NextResponse.json({ failures: await listJudgingFailures(await database(), parsed.data.id) });
});
