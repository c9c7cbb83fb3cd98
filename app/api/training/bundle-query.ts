import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { approvedVersion, getProfile, readTrainingExport, type ClusterProfile, type TrainingExport } from "@/lib/training";
import { describeIssues } from "@/lib/http/route-errors";
import { ensureExport } from "@/app/api/datasets/export-store";
import { trainingErrorResponse } from "@/app/api/training/training-responses";

const BundleQuery = z.object({
  versionId: z.uuid({ error: "versionId must be a dataset version's id" }),
  profile: z.string().min(1).max(63).optional(),
});

/** The approved version's export (made once) and the profile a bundle or manifest download asks for. */
export async function bundleInputs(request: Request): Promise<{ profile: ClusterProfile; exported: TrainingExport } | NextResponse> {
  const query = BundleQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return NextResponse.json({ error: describeIssues(query.error.issues) }, { status: 400 });
  try {
    const db = await database();
    const version = await approvedVersion(db, query.data.versionId);
    const stored = await ensureExport(db, version.id);
    return { profile: await getProfile(db, query.data.profile), exported: await readTrainingExport(version, stored.dir) };
  } catch (error) {
    return trainingErrorResponse(error);
  }
}
