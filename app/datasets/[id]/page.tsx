import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { DatasetVersionNotFound, getVersion, listVersions, ownWorkApproval } from "@/lib/datasets";
import { currentActor } from "@/app/page-actor";
import { formatCount, formatWhen } from "@/components/runs/run-status";
import { DepartmentCounts, SplitCounts } from "@/components/datasets/version-counts";
import { VersionReview } from "@/components/datasets/version-review";
import { VersionDiffPanel } from "@/components/datasets/version-diff";
import { ExportButton } from "@/components/datasets/export-button";
import { ExportFiles } from "@/components/datasets/export-files";
import { shortHash, stateClass, stateLabel } from "@/components/datasets/version-format";
import { exportOptionsSchema, findExport, findShortSplits, recordedShortSplits } from "@/lib/export";
import { ShortSplitWarnings } from "@/components/datasets/short-split-warnings";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

async function versionOrNull(id: string) {
  try {
    return await getVersion(await database(), id);
  } catch (error) {
    if (error instanceof DatasetVersionNotFound) return null;
    throw error;
  }
}

export default async function DatasetVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) notFound();
  const version = await versionOrNull(parsed.data.id);
  if (!version) notFound();
  const db = await database();
  const actor = await currentActor();
  const [all, stored, ownWork] = await Promise.all([
    listVersions(db),
    findExport(db, version.id),
    actor && version.state === "in_review" ? ownWorkApproval(db, version.id, actor.name) : null,
  ]);
  // The studio's Export uses the default options, so these are the splits it would write short.
  const shortSplits = findShortSplits(version.counts, exportOptionsSchema.parse({}));
  // An existing export answers for itself: the splits it wrote, and whether anyone acknowledged them.
  const exportedShort = stored ? recordedShortSplits(stored.manifest, version.counts) : null;
  return (
    <>
      <p className="muted">
        <Link href="/datasets">Datasets</Link> / {version.name}
      </p>
      <h1>{version.name}</h1>
      <div className="panel">
        <dl className="facts">
          <dt>State</dt>
          <dd className={stateClass(version.state)} data-testid="version-state">
            {stateLabel(version.state)}
          </dd>
          <dt>Members</dt>
          <dd>
            {formatCount(version.memberCount)} (common {formatCount(version.counts.tiers.common)}, complex{" "}
            {formatCount(version.counts.tiers.complex)})
          </dd>
          <dt>Content hash</dt>
          <dd>
            <code title={version.contentHash}>{shortHash(version.contentHash)}</code>
          </dd>
          <dt>Created</dt>
          <dd>
            {version.createdBy} · {formatWhen(version.createdAt)}
          </dd>
          {version.rejectionReason ? (
            <>
              <dt>Rejected because</dt>
              <dd>{version.rejectionReason}</dd>
            </>
          ) : null}
        </dl>
        {version.state === "draft" || version.state === "in_review" ? <ShortSplitWarnings splits={shortSplits} when="approval" /> : null}
        <VersionReview versionId={version.id} state={version.state} ownWork={ownWork} />
      </div>
      {version.state === "approved" ? (
        <nav className="panel" aria-label="Next steps">
          <strong>Approved. Next:</strong> <a href="#export">export it</a> ·{" "}
          <Link href={`/training?versionId=${version.id}`} data-testid="version-train-link">
            Train on this version
          </Link>
        </nav>
      ) : null}

      <h2>Events</h2>
      <table className="grid compact" aria-label="Events">
        <thead>
          <tr>
            <th>When</th>
            <th>Change</th>
            <th>Who</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {version.events.map((e) => (
            <tr key={`${e.at}-${e.toState}`}>
              <td style={{ whiteSpace: "nowrap" }}>{formatWhen(e.at)}</td>
              <td>
                {e.fromState ? stateLabel(e.fromState) : "—"} → {stateLabel(e.toState)}
              </td>
              <td>{e.actor}</td>
              <td>{e.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="dataset-columns">
        <section>
          <h2>Per split</h2>
          <SplitCounts counts={version.counts} />
        </section>
        <section>
          <h2>Per department</h2>
          <DepartmentCounts counts={version.counts} />
        </section>
      </div>

      <h2>Diff</h2>
      <VersionDiffPanel
        versionId={version.id}
        others={all.filter((v) => v.id !== version.id).map((v) => ({ id: v.id, name: v.name, state: v.state }))}
      />

      <h2 id="export">Export</h2>
      {version.state === "approved" ? (
        <>
          <ExportButton
            versionId={version.id}
            exported={stored !== null}
            shortSplits={exportedShort?.splits ?? shortSplits}
            unacknowledged={exportedShort === null || !exportedShort.acknowledged}
          />
          {stored ? <ExportFiles versionId={version.id} manifest={stored.manifest} card={stored.card} /> : null}
        </>
      ) : (
        <p className="muted">
          Only an approved version is exported. The CLI can preview any version:{" "}
          <code>npx finemed export --dataset {version.id} --out DIR --allow-unapproved</code>.
        </p>
      )}
    </>
  );
}
