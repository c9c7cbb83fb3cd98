import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { ComparisonNameTaken, importComparisonDataset, listComparisonDatasets } from "@/lib/comparison";
import { MAX_UPLOAD_BYTES } from "@/lib/imports/upload-request";
import { parseComparisonUpload } from "@/app/api/comparisons/upload-parameters";

export const dynamic = "force-dynamic";

/** GET /api/comparisons: comparison datasets with their latest judging's progress. */
export const GET = withRole("viewer", async () => {
  return NextResponse.json({ datasets: await listComparisonDatasets(await database()) });
});

/** POST /api/comparisons?name=&fileName=&textField=&format=: the body is the file, streamed into a new comparison dataset. */
export const POST = withRole("curator", async (request: Request, _context: unknown, actor: Actor) => {
  const upload = parseComparisonUpload(new URL(request.url).searchParams);
  if (!upload.ok) return NextResponse.json({ error: upload.reason }, { status: 400 });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_UPLOAD_BYTES) return NextResponse.json({ error: `the file is over the upload limit of ${MAX_UPLOAD_BYTES} bytes` }, { status: 413 });
  if (!request.body) return NextResponse.json({ error: "the request has no file in its body" }, { status: 400 });
  try {
    const summary = await importComparisonDataset(await database(), { name: upload.name, fileName: upload.fileName, source: request.body, read: upload.read, createdBy: actor.name });
    return NextResponse.json(summary, { status: 201 });
  } catch (error) {
    return NextResponse.json({ error: (error as Error).message }, { status: error instanceof ComparisonNameTaken ? 409 : 400 });
  }
});
