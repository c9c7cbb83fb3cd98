import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { listAuditEvents } from "@/lib/audit";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

/** GET /api/audit?actor=&action=&subjectType=&subjectId=&from=&to=&before=&limit= — newest first, keyset pages; approvers and admins. */
export const GET = withRole("approver", async (request: Request) => {
  try {
    return NextResponse.json(await listAuditEvents(await database(), Object.fromEntries(new URL(request.url).searchParams)));
  } catch (error) {
    if (error instanceof ZodError) return NextResponse.json({ error: describeIssues(error.issues) }, { status: 400 });
    throw error;
  }
});
