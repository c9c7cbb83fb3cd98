import { withRole } from "@/lib/auth/with-role";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { datasetErrorResponse, noSuchVersion } from "@/app/api/datasets/dataset-responses";
import { exportedFilePath, findExport } from "@/lib/export";

export const dynamic = "force-dynamic";

const FileName = z.string().min(1, { error: "name the file with ?path=" }).max(300);

/** GET /api/datasets/:id/export/file?path=data/x.jsonl: streams one file the manifest lists. */
export const GET = withRole("viewer", async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
  const name = FileName.safeParse(new URL(request.url).searchParams.get("path") ?? "");
  if (!name.success) return NextResponse.json({ error: "name the file with ?path=" }, { status: 400 });
  try {
    const stored = await findExport(await database(), id);
    if (!stored) return NextResponse.json({ error: `dataset version ${id} has not been exported` }, { status: 404 });
    const file = await exportedFilePath(stored, name.data);
    if (!file) return NextResponse.json({ error: `the export lists no file '${name.data}'` }, { status: 404 });
    const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(file.bytes),
        "content-disposition": `attachment; filename="${basename(file.path).replace(/[^\w.-]/g, "_")}"`,
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    return datasetErrorResponse(error);
  }
});
