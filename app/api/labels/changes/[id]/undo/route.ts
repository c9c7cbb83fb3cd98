import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { undoLabelChange } from "@/lib/labels";
import { WEB_ACTOR } from "@/app/api/labels/actor";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.coerce.number().int().positive() });

/** POST /api/labels/changes/:id/undo: restores the label that change replaced, as a new audited change. */
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such label change" }, { status: 404 });
  try {
    return NextResponse.json(await undoLabelChange(await database(), parsed.data.id, WEB_ACTOR));
  } catch (error) {
    return curationErrorResponse(error);
  }
}
