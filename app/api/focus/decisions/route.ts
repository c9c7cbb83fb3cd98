import { NextResponse } from "next/server";
import { z } from "zod";
import { withRoleInTransaction } from "@/lib/auth/with-role-in-transaction";
import { database } from "@/lib/db/database";
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

/**
 * POST /api/focus/decisions: accept the model's label or relabel one sample; 409 when its version moved.
 * The role gate's transaction mode: the gate's own checks (401, 403 for a one-time password, CSRF, a
 * role below curator), and the audit event written in the decision's own transaction, not ahead of it
 * and after it: a curator makes one every few seconds, and one commit instead of three keeps each fast.
 * Refused or failed, the transaction rolls back and neither the change nor its event is stored.
 */
export const POST = withRoleInTransaction("curator", async (request, _context, actor, audit) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = decisionBodySchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const result = await decideFocusSample(await database(), { ...parsed.data, actor: actor.name }, (client, decided) =>
      audit.record(client, { subject: { type: "sample", id: String(parsed.data.instructionId) }, result: { ...decided } }),
    );
    return NextResponse.json(result);
  } catch (error) {
    return curationErrorResponse(error);
  }
});
