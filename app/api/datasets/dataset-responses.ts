import { NextResponse } from "next/server";
import { ApprovalRefused, DatasetError, DatasetStateError, DatasetVersionNotFound } from "@/lib/datasets";
import { ExportError, ShortSplitsRefused } from "@/lib/export";

// The lib refuses with typed errors whose messages are written for the reviewer; this maps each to
// the status a client can act on and passes the message through unchanged.
export function datasetErrorResponse(error: unknown): NextResponse {
  if (error instanceof DatasetVersionNotFound) return NextResponse.json({ error: error.message }, { status: 404 });
  if (error instanceof ApprovalRefused) return NextResponse.json({ error: error.message }, { status: 403 });
  if (error instanceof DatasetStateError) return NextResponse.json({ error: error.message }, { status: 409 });
  if (error instanceof DatasetError) return NextResponse.json({ error: error.message }, { status: 422 });
  if (error instanceof ShortSplitsRefused) return NextResponse.json({ error: error.message, shortSplits: error.splits }, { status: 409 });
  if (error instanceof ExportError) return NextResponse.json({ error: error.message }, { status: 409 });
  throw error;
}

export function noSuchVersion(id: string): NextResponse {
  return NextResponse.json({ error: `no dataset version ${id}` }, { status: 404 });
}
