import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { LabelChangeRefused, LabelConflictError } from "@/lib/labels";
import { InvalidCursorError } from "@/lib/samples";
import { TaxonomyViolation } from "@/lib/taxonomy";
import { describeIssues, queryTimeoutResponse } from "@/lib/http/route-errors";

// The lib refuses with typed errors whose messages are written for the curator; this maps each to the
// HTTP status a client can act on and passes the message through unchanged.

const MISSING = /^there is no /;

export function curationErrorResponse(error: unknown): Response {
  if (error instanceof LabelConflictError) {
    return NextResponse.json(
      {
        error: error.message,
        conflict: {
          changedBy: error.changedBy,
          changedAt: error.changedAt,
          currentVersion: error.currentVersion,
          expectedVersion: error.expectedVersion,
        },
      },
      { status: 409 },
    );
  }
  if (error instanceof LabelChangeRefused)
    return NextResponse.json({ error: error.message }, { status: MISSING.test(error.message) ? 404 : 409 });
  if (error instanceof TaxonomyViolation)
    return NextResponse.json({ error: error.message }, { status: MISSING.test(error.message) ? 404 : 422 });
  if (error instanceof ZodError) return NextResponse.json({ error: describeIssues(error.issues) }, { status: 400 });
  if (error instanceof InvalidCursorError) return NextResponse.json({ error: error.message }, { status: 400 });
  const timedOut = queryTimeoutResponse(error);
  if (timedOut) return timedOut;
  throw error;
}
