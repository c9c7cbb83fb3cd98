import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { pipelineFunnel } from "@/lib/samples";

export const dynamic = "force-dynamic";

const Params = z.object({ run: z.uuid().optional() });

/** GET /api/analytics/funnel?run=: texts → instructions → kept → common/complex → SFT/DPO. */
export const GET = withRole("viewer", async (request: Request) => {
  const parsed = Params.safeParse({ run: new URL(request.url).searchParams.get("run") ?? undefined });
  if (!parsed.success) return NextResponse.json({ error: "run must be a run id" }, { status: 400 });
  return NextResponse.json(await pipelineFunnel(await database(), parsed.data.run));
});
