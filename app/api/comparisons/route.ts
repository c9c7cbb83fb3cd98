import { withRole } from "@/lib/auth/with-role";
import { databaseErrorResponse } from "@/lib/http/database-errors";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { ComparisonNameTaken, importComparisonDataset, listComparisonDatasets } from "@/lib/comparison";
import { declaredLengthRefusal, limitUploadBytes, UploadTooLargeError } from "@/lib/corpus/upload-request";
import { parseComparisonUpload } from "@/app/api/comparisons/upload-parameters";

export const dynamic = "force-dynamic";

/** GET /api/comparisons: comparison datasets with their latest judging's progress. */
export const GET = withRole("viewer", async () => {
  return NextResponse.json({ datasets: await listComparisonDatasets(await database()) });
});

/** POST /api/comparisons?name=&fileName=&textField=&format=: the body is the file, streamed into a new comparison dataset. */
export const POST = withRole(
  "curator",
  async (request: Request, _context: unknown, actor: Actor) => {
    const upload = parseComparisonUpload(new URL(request.url).searchParams);
    if (!upload.ok) return NextResponse.json({ error: upload.reason }, { status: 400 });
    const tooLarge = declaredLengthRefusal(request.headers.get("content-length"));
    if (tooLarge) return NextResponse.json({ error: tooLarge }, { status: 413 });
    if (!request.body) return NextResponse.json({ error: "the request has no file in its body" }, { status: 400 });
    try {
      const summary = await importComparisonDataset(await database(), {
        name: upload.name,
        fileName: upload.fileName,
        source: limitUploadBytes(request.body),
        read: upload.read,
        createdBy: actor.name,
      });
      return NextResponse.json(summary, { status: 201 });
    } catch (error) {
      // A chunked body has no Content-Length to check first: the cap is enforced while it streams.
      if (error instanceof UploadTooLargeError) return NextResponse.json({ error: error.message }, { status: 413 });
      const status = error instanceof ComparisonNameTaken ? 409 : 400;
      return databaseErrorResponse(error) ?? NextResponse.json({ error: (error as Error).message }, { status });
    }
  },
  { body: "upload" },
);
