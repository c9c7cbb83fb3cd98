import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { undoLabelChange } from "@/lib/labels";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.coerce.number().int().positive() });

/** POST /api/labels/changes/:id/undo: restores the label that change replaced, as a new audited change. */
export const POST = withRole("curator", async (_request: Request, { params }: { params: Promise<{ id: string }> }, actor: Actor) => {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such label change" }, { status: 404 });
  try {
    return NextResponse.json(await undoLabelChange(await database(), parsed.data.id, actor.name));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
