import { withRole } from "@/lib/auth/with-role";
import { databaseErrorResponse } from "@/lib/http/database-errors";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { importSourceTexts } from "@/lib/corpus/import-source-texts";
import { checkUpload, limitUploadBytes, UploadTooLargeError } from "@/lib/corpus/upload-request";

export const dynamic = "force-dynamic";

export const POST = withRole(
  "curator",
  async (request: Request, _context: unknown, actor: Actor) => {
    const check = checkUpload(new URL(request.url).searchParams, request.headers.get("content-length"));
    if (!check.ok) return NextResponse.json({ error: check.reason }, { status: check.status });
    if (!request.body) return NextResponse.json({ error: "the request has no file in its body" }, { status: 400 });
    const db = await database();
    try {
      const summary = await importSourceTexts(db, {
        corpusName: check.parameters.corpus,
        fileName: check.parameters.fileName,
        source: limitUploadBytes(request.body),
        read: check.read,
        strict: check.parameters.strict,
        createdBy: actor.name,
      });
      return NextResponse.json(summary, { status: summary.committed ? 201 : 422 });
    } catch (error) {
      if (error instanceof UploadTooLargeError) return NextResponse.json({ error: error.message }, { status: 413 });
      // The database's own text ("invalid byte sequence for encoding…") is never the answer.
      return databaseErrorResponse(error) ?? NextResponse.json({ error: (error as Error).message }, { status: 400 });
    }
  },
  { body: "upload" },
);
