import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { approvedVersion, listChains, requireShortSplitAnswer, startChain, trainingShortSplits } from "@/lib/training";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { ensureExport, exportDir } from "@/lib/export";
import { trainingErrorResponse } from "@/app/api/training/training-responses";

export const dynamic = "force-dynamic";

const StartBody = z.object({
  versionId: z.uuid({ error: "versionId must be a dataset version's id" }),
  profile: z.string().min(1).max(63).optional(),
  /** The starter has seen the export's empty or short splits and trains anyway (recorded in the card and the audit). */
  acknowledgeShortSplits: z.boolean({ error: "acknowledgeShortSplits must be true or false" }).default(false),
});
const ListQuery = z.object({ versionId: z.uuid().optional() });

/** GET /api/training?versionId=: chains, newest first. */
export const GET = withRole("viewer", async (request: Request) => {
  const query = ListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return NextResponse.json({ error: describeIssues(query.error.issues) }, { status: 400 });
  return NextResponse.json({ chains: await listChains(await database(), { versionId: query.data.versionId }) });
});

/**
 * POST /api/training {versionId, profile?, acknowledgeShortSplits?}: exports the approved version (once)
 * and submits the chain. Empty or short splits are refused (409 with `shortSplits`) unless acknowledged.
 */
export const POST = withRole("approver", async (request: Request, _context: unknown, actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = StartBody.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const db = await database();
    // Refused before anything is exported: only an approved version is trained (409 with the state).
    const version = await approvedVersion(db, parsed.data.versionId);
    const acknowledged = parsed.data.acknowledgeShortSplits;
    // And before anything is exported: short splits the starter has not acknowledged (409 with the list).
    requireShortSplitAnswer(await trainingShortSplits(version, exportDir(version.id)), acknowledged, "chain");
    const stored = await ensureExport(db, version.id, { gate: true, acknowledged });
    const chain = await startChain(db, {
      versionId: version.id,
      exportDir: stored.dir,
      profileName: parsed.data.profile,
      actor: actor.name,
      acknowledgeShortSplits: acknowledged,
    });
    return NextResponse.json(chain, { status: 201 });
  } catch (error) {
    return trainingErrorResponse(error);
  }
});
