import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { projectionById } from "@/lib/projection/projection-store";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** One projection with its report (neighbour preservation, sizes, timings per phase). */
export const GET = withRole("viewer", async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such projection" }, { status: 404 });
  const projection = await projectionById(await database(), parsed.data.id);
  if (!projection) return NextResponse.json({ error: "no such projection" }, { status: 404 });
  return NextResponse.json(projection);
});
