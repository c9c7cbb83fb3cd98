import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { undoBulkOperation } from "@/lib/labels";
import { WEB_ACTOR } from "@/app/api/labels/actor";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

/** POST /api/labels/bulk/:id/undo: reverts a bulk relabel; samples changed since are skipped and listed. */
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return NextResponse.json({ error: "no such bulk operation" }, { status: 404 });
  try {
    return NextResponse.json(await undoBulkOperation(await database(), parsed.data.id, WEB_ACTOR));
  } catch (error) {
    return curationErrorResponse(error);
  }
}
