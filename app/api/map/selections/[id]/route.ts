import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { readMapSelection } from "@/lib/map-selections";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** GET: a stored map selection's projection, size and author (not its ids: open it in the table for those). */
export const GET = withRole("viewer", async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such selection" }, { status: 404 });
  const selection = await readMapSelection(await database(), parsed.data.id);
  if (!selection) return NextResponse.json({ error: "no such selection" }, { status: 404 });
  return NextResponse.json(selection);
});
