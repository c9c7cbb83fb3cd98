import { NextResponse } from "next/server";
import { z } from "zod";
import type { Actor } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/audit";
import { database } from "@/lib/db/database";
import {
  approvedVersion,
  getProfile,
  readTrainingExport,
  requireShortSplitAnswer,
  trainingShortSplits,
  type ClusterProfile,
  type TrainingExport,
} from "@/lib/training";
import { describeIssues } from "@/lib/http/route-errors";
import { ensureExport, exportDir } from "@/lib/export";
import { trainingErrorResponse } from "@/app/api/training/training-responses";

const BundleQuery = z.object({
  versionId: z.uuid({ error: "versionId must be a dataset version's id" }),
  profile: z.string().min(1).max(63).optional(),
  /** A download is a link, so the acknowledgement of empty or short splits travels in the query. */
  acknowledgeShortSplits: z
    .enum(["true", "false"], { error: "acknowledgeShortSplits must be true or false" })
    .default("false")
    .transform((value) => value === "true"),
});

/**
 * The approved version's export (made once) and the profile a bundle or manifest download asks for.
 * Empty or short splits are refused (409 with the list) unless acknowledged; a download is a GET, which
 * the route gate does not audit, so the acknowledgement is written to the audit log here.
 */
export async function bundleInputs(
  request: Request,
  actor: Actor,
  download: string,
): Promise<{ profile: ClusterProfile; exported: TrainingExport } | NextResponse> {
  const query = BundleQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return NextResponse.json({ error: describeIssues(query.error.issues) }, { status: 400 });
  try {
    const db = await database();
    const version = await approvedVersion(db, query.data.versionId);
    const acknowledged = query.data.acknowledgeShortSplits;
    const short = await trainingShortSplits(version, exportDir(version.id));
    requireShortSplitAnswer(short, acknowledged, "bundle");
    const profile = await getProfile(db, query.data.profile);
    const stored = await ensureExport(db, version.id, { gate: true, acknowledged });
    const exported = await readTrainingExport(version, stored.dir);
    if (short.length > 0) {
      await recordAuditEvent(db, {
        actor,
        action: `training.${download}`,
        subject: { type: "dataset", id: version.id },
        details: { profile: profile.name, shortSplitsAcknowledged: short.map((s) => s.split) },
        via: request.headers.get("authorization")?.startsWith("Bearer ") ? "api" : "web",
      });
    }
    return { profile, exported };
  } catch (error) {
    return trainingErrorResponse(error);
  }
}
