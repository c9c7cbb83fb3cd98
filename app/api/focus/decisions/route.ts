import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { z } from "zod";
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

/** POST /api/focus/decisions: accept the model's label or relabel one sample; 409 when its version moved. */
export const POST = withRole("curator", async (request: Request, _context: unknown, actor: Actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = decisionBodySchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    return NextResponse.json(await decideFocusSample(await database(), { ...parsed.data, actor: actor.name }));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
