import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { BackendKeyRefused, checkRunBackends } from "@/lib/runs/backend-check";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** GET /api/runs/:id/backends — models, latency and load of every distinct server the run's roles use. */
export const GET = withRole("viewer", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such run" }, { status: 404 });
  let servers: Awaited<ReturnType<typeof checkRunBackends>>;
  try {
    servers = await checkRunBackends(await database(), parsed.data.id);
  } catch (error) {
    if (error instanceof BackendKeyRefused) return NextResponse.json({ error: error.message }, { status: 400 });
    throw error;
  }
  if (!servers) return NextResponse.json({ error: "no such run" }, { status: 404 });
  return NextResponse.json({ servers });
});
