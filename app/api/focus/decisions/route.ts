import { NextResponse } from "next/server";
import { z } from "zod";
import { describeRequest } from "@/lib/auth/request-audit";
import { crossSiteRefusal, identifyRequest } from "@/lib/auth/request-identity";
import { roleAllows } from "@/lib/auth/roles";
import { database } from "@/lib/db/database";
import { databaseErrorResponse } from "@/lib/http/database-errors";
import { decideFocusSample } from "@/lib/labels/focus-decision";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { labelTargetSchema } from "@/app/api/labels/label-schemas";

export const dynamic = "force-dynamic";

const decisionBodySchema = z.object({
  instructionId: z.number().int().positive(),
  expectedVersion: z.number().int().min(0),
  decision: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("confirm") }),
    z.object({ kind: z.literal("relabel"), to: labelTargetSchema }),
  ]),
  reason: z.string().max(2000).nullable().default(null),
});

const INTERNAL = "the studio could not complete this request (an internal error; the server log has the details)";

/**
 * POST /api/focus/decisions: accept the model's label or relabel one sample; 409 when its version moved.
 * The same gate as withRole (401, 403 for a one-time password, CSRF, a role below curator), but its audit
 * event is written in the decision's own transaction instead of ahead of it and after it: a curator makes
 * one every few seconds, and one commit instead of three keeps each under 50 ms. Refused or failed, the
 * transaction rolls back and neither the change nor its event is stored.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const db = await database();
    const identity = await identifyRequest(db, request.headers);
    if (!identity) return Response.json({ error: "sign in first (or send Authorization: Bearer <service token>)" }, { status: 401 });
    const { actor, via } = identity;
    if (identity.mustChangePassword) {
      const reason = "change your one-time password first (Account page, or POST /api/auth/change-password)";
      return Response.json({ error: reason }, { status: 403 });
    }
    if (via === "web") {
      const refusal = crossSiteRefusal(request);
      if (refusal) return Response.json({ error: refusal }, { status: 403 });
    }
    if (!roleAllows(actor.role, "curator")) {
      return Response.json({ error: `forbidden: this needs the curator role; ${actor.name} is ${actor.role}` }, { status: 403 });
    }
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = decisionBodySchema.safeParse(body.value);
    if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
    const path = new URL(request.url).pathname;
    const described = describeRequest(request.method, path, {});
    try {
      const result = await decideFocusSample(db, { ...parsed.data, actor: actor.name }, (decided) => ({
        actor,
        action: described.action,
        subject: { type: "sample", id: String(parsed.data.instructionId) },
        details: { method: request.method, path, status: 200, request: body.value, result: { ...decided } },
        via,
      }));
      return NextResponse.json(result);
    } catch (error) {
      return curationErrorResponse(error);
    }
  } catch (error) {
    const answer = databaseErrorResponse(error);
    if (answer) return answer;
    process.stderr.write(`[api] POST /api/focus/decisions failed: ${(error as Error)?.stack ?? String(error)}\n`);
    return Response.json({ error: INTERNAL }, { status: 500 });
  }
}
