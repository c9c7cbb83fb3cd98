import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { sampleDetail } from "@/lib/samples";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.coerce.number().int().positive() });

/** GET /api/samples/:id: everything the sample drawer shows. */
export const GET = withRole("viewer", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "a sample id is a positive integer" }, { status: 400 });
  const detail = await sampleDetail(await database(), parsed.data.id);
  if (!detail) return NextResponse.json({ error: `there is no sample ${parsed.data.id}` }, { status: 404 });
  return NextResponse.json(detail);
});
