import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { datasetErrorResponse, noSuchVersion } from "@/app/api/datasets/dataset-responses";
import { ensureExport, findExport } from "@/app/api/datasets/export-store";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET: the stored export's manifest and card, or 404 when the version has not been exported. */
export const GET = withRole("viewer", async (_request: Request, { params }: Params) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
  try {
    const stored = await findExport(await database(), id);
    if (!stored) return NextResponse.json({ error: `dataset version ${id} has not been exported` }, { status: 404 });
    return NextResponse.json({ manifest: stored.manifest, card: stored.card });
  } catch (error) {
    return datasetErrorResponse(error);
  }
});

/** POST: exports an approved version (once; a matching export is reused). 409 names why it cannot. */
export const POST = withRole("curator", async (_request: Request, { params }: Params) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
  try {
    const stored = await ensureExport(await database(), id);
    return NextResponse.json({ manifest: stored.manifest, card: stored.card });
  } catch (error) {
    return datasetErrorResponse(error);
  }
});
