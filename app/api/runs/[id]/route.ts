import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { runSnapshot } from "@/lib/runs/run-detail";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** The run's summary and detail, polled by the run page. */
export const GET = withRole("viewer", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such run" }, { status: 404 });
  const snapshot = await runSnapshot(await database(), parsed.data.id);
  if (!snapshot) return NextResponse.json({ error: "no such run" }, { status: 404 });
  return NextResponse.json(snapshot);
});
