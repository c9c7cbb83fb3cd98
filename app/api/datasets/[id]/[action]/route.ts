import { withRole } from "@/lib/auth/with-role";
import { roleAllows, type Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { approveVersion, rejectVersion, submitVersion } from "@/lib/datasets";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { datasetErrorResponse, noSuchVersion } from "@/app/api/datasets/dataset-responses";

export const dynamic = "force-dynamic";

const ACTIONS = ["submit", "approve", "reject"] as const;
const RejectBody = z.object({ reason: z.string().trim().min(1, { error: "a rejection needs a reason" }).max(2000) });

/** POST /api/datasets/:id/submit (curator) | approve | reject ({ reason }) (approver). 403 below the role, 409 in the wrong state. */
export const POST = withRole(
  "curator",
  async (request: Request, { params }: { params: Promise<{ id: string; action: string }> }, actor: Actor) => {
    const { id, action } = await params;
    if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
    const chosen = z.enum(ACTIONS).safeParse(action);
    if (!chosen.success) return NextResponse.json({ error: `unknown action '${action}': use submit, approve or reject` }, { status: 404 });
    // Submitting is a curator's; deciding is an approver's (the lib checks the same role again).
    if (chosen.data !== "submit" && !roleAllows(actor.role, "approver")) {
      return NextResponse.json({ error: `forbidden: this needs the approver role; ${actor.name} is ${actor.role}` }, { status: 403 });
    }
    try {
      const db = await database();
      if (chosen.data === "submit") return NextResponse.json(await submitVersion(db, id, actor.name));
      if (chosen.data === "approve") return NextResponse.json(await approveVersion(db, id, actor.name, { actorRoles: [actor.role] }));
      const body = await readJsonBody(request);
      if (!body.ok) return body.response;
      const parsed = RejectBody.safeParse(body.value);
      if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
      return NextResponse.json(await rejectVersion(db, id, actor.name, parsed.data.reason, { actorRoles: [actor.role] }));
    } catch (error) {
      return datasetErrorResponse(error);
    }
  },
);
