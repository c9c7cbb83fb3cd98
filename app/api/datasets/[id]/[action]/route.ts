import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { approveVersion, rejectVersion, submitVersion } from "@/lib/datasets";
import { describeIssues, readJsonBody } from "@/app/api/runs/json-body";
import { WEB_ACTOR } from "@/app/api/labels/actor";
import { datasetErrorResponse, noSuchVersion } from "@/app/api/datasets/dataset-responses";

export const dynamic = "force-dynamic";

const ACTIONS = ["submit", "approve", "reject"] as const;
const RejectBody = z.object({ reason: z.string().trim().min(1, { error: "a rejection needs a reason" }).max(2000) });

/** POST /api/datasets/:id/submit | approve | reject ({ reason }). The lib decides role (403) and state (409). */
export async function POST(request: Request, { params }: { params: Promise<{ id: string; action: string }> }) {
  const { id, action } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
  const chosen = z.enum(ACTIONS).safeParse(action);
  if (!chosen.success) return NextResponse.json({ error: `unknown action '${action}': use submit, approve or reject` }, { status: 404 });
  try {
    const db = await database();
    if (chosen.data === "submit") return NextResponse.json(await submitVersion(db, id, WEB_ACTOR));
    if (chosen.data === "approve") return NextResponse.json(await approveVersion(db, id, WEB_ACTOR));
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = RejectBody.safeParse(body.value);
    if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
    return NextResponse.json(await rejectVersion(db, id, WEB_ACTOR, parsed.data.reason));
  } catch (error) {
    return datasetErrorResponse(error);
  }
}
