import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { approvedVersion, listChains, startChain } from "@/lib/training";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { ensureExport } from "@/app/api/datasets/export-store";
import { trainingErrorResponse } from "@/app/api/training/training-responses";

export const dynamic = "force-dynamic";

const StartBody = z.object({
  versionId: z.uuid({ error: "versionId must be a dataset version's id" }),
  profile: z.string().min(1).max(63).optional(),
});
const ListQuery = z.object({ versionId: z.uuid().optional() });

/** GET /api/training?versionId=: chains, newest first. */
export const GET = withRole("viewer", async (request: Request) => {
  const query = ListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return NextResponse.json({ error: describeIssues(query.error.issues) }, { status: 400 });
  return NextResponse.json({ chains: await listChains(await database(), { versionId: query.data.versionId }) });
});

/** POST /api/training {versionId, profile?}: exports the approved version (once) and submits the chain. */
export const POST = withRole("approver", async (request: Request, _context: unknown, actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = StartBody.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const db = await database();
    // Refused before anything is exported: only an approved version is trained (409 with the state).
    await approvedVersion(db, parsed.data.versionId);
    const stored = await ensureExport(db, parsed.data.versionId);
    const chain = await startChain(db, {
      versionId: parsed.data.versionId,
      exportDir: stored.dir,
      profileName: parsed.data.profile,
      actor: actor.name,
    });
    return NextResponse.json(chain, { status: 201 });
  } catch (error) {
    return trainingErrorResponse(error);
  }
});
