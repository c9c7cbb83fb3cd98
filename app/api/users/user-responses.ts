import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { UserError } from "@/lib/auth/users";
import { describeIssues } from "@/lib/http/route-errors";

/** Maps the user and token lib's refusals to their HTTP status. */
export function userErrorResponse(error: unknown): NextResponse {
  if (error instanceof UserError) return NextResponse.json({ error: error.message }, { status: error.status });
  if (error instanceof ZodError) return NextResponse.json({ error: describeIssues(error.issues) }, { status: 400 });
  throw error;
}
