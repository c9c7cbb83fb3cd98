import { NextResponse } from "next/server";
import { DatasetStateError, DatasetVersionNotFound } from "@/lib/datasets";
import { ExportError, ShortSplitsRefused } from "@/lib/export";
import {
  ClusterError,
  ClusterUnavailable,
  TrainingChainNotFound,
  TrainingError,
  TrainingInputError,
  TrainingShortSplitsRefused,
} from "@/lib/training";

// The lib refuses with typed errors written for the person at the page; this maps each to a status.
export function trainingErrorResponse(error: unknown): NextResponse {
  if (error instanceof DatasetVersionNotFound || error instanceof TrainingChainNotFound)
    return NextResponse.json({ error: error.message }, { status: 404 });
  if (error instanceof DatasetStateError) return NextResponse.json({ error: error.message }, { status: 409 });
  if (error instanceof TrainingInputError) return NextResponse.json({ error: error.message }, { status: 400 });
  if (error instanceof ClusterUnavailable) return NextResponse.json({ error: error.message }, { status: 503 });
  if (error instanceof ClusterError) return NextResponse.json({ error: error.message }, { status: 502 });
  if (error instanceof TrainingShortSplitsRefused || error instanceof ShortSplitsRefused)
    return NextResponse.json({ error: error.message, shortSplits: error.splits }, { status: 409 });
  if (error instanceof TrainingError || error instanceof ExportError) return NextResponse.json({ error: error.message }, { status: 409 });
  throw error;
}

export function noSuchChain(id: string): NextResponse {
  return NextResponse.json({ error: `no training chain ${id}` }, { status: 404 });
}
