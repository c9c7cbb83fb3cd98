import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { readRequestBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { datasetErrorResponse, noSuchVersion } from "@/app/api/datasets/dataset-responses";
import { ensureExport, findExport } from "@/lib/export";

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

const ExportBody = z.strictObject({ acknowledgeShortSplits: z.boolean().default(false) });

/**
 * POST {acknowledgeShortSplits?}: exports an approved version (once; a matching export is reused).
 * 409 names why it cannot; empty or short splits are refused (409 with `shortSplits`) unless acknowledged.
 */
export const POST = withRole("curator", async (request: Request, { params }: Params) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
  const body = await readRequestBody(request);
  if (!body.ok) return body.response;
  const parsed = ExportBody.safeParse(body.empty ? {} : body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const stored = await ensureExport(await database(), id, { gate: true, acknowledged: parsed.data.acknowledgeShortSplits });
    return NextResponse.json({ manifest: stored.manifest, card: stored.card });
  } catch (error) {
    return datasetErrorResponse(error);
  }
});
