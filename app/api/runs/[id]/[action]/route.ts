import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { controlRun } from "@/lib/runs/control-run";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid(), action: z.enum(["pause", "resume", "cancel"]) });

/** POST /api/runs/:id/pause | resume | cancel */
export const POST = withRole("curator", async (_request: Request, { params }: { params: Promise<{ id: string; action: string }> }) => {
  const raw = await params;
  const parsed = Params.safeParse(raw);
  if (!parsed.success) {
    const reason = z.uuid().safeParse(raw.id).success ? `unknown action '${raw.action}': use pause, resume or cancel` : "no such run";
    return NextResponse.json({ error: reason }, { status: 404 });
  }
  const result = await controlRun(await database(), parsed.data.id, parsed.data.action);
  if (!result.ok) return NextResponse.json({ error: result.reason }, { status: result.reason === "no such run" ? 404 : 409 });
  return NextResponse.json({ status: result.status });
});
