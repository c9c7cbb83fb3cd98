import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { ProjectionNotFoundError } from "@/lib/map-points";
import { projectionFreshness, reprojectWithMissing } from "@/lib/map-points/projection-freshness";
import { ProjectionRequestError } from "@/lib/projection/create-projection";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** GET: how many samples of the projection's scope are not on it, per run (the map polls it). */
export const GET = withRole("viewer", async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such projection" }, { status: 404 });
  try {
    return NextResponse.json(await projectionFreshness(await database(), parsed.data.id));
  } catch (error) {
    if (error instanceof ProjectionNotFoundError) return NextResponse.json({ error: error.message }, { status: 404 });
    throw error;
  }
});

/** POST: queues a projection like this one over its whole scope, the missing samples included → 201 {id}. */
export const POST = withRole("curator", async (_request, { params }: { params: Promise<{ id: string }> }, actor) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such projection" }, { status: 404 });
  try {
    return NextResponse.json(await reprojectWithMissing(await database(), parsed.data.id, actor.name), { status: 201 });
  } catch (error) {
    if (error instanceof ProjectionNotFoundError) return NextResponse.json({ error: error.message }, { status: 404 });
    if (error instanceof ProjectionRequestError) return NextResponse.json({ error: error.message }, { status: 400 });
    throw error;
  }
});
