import Link from "next/link";
import { database } from "@/lib/db/database";
import { listVersions } from "@/lib/datasets";
import { listRunProgress } from "@/lib/runs/run-list";
import { formatCount, formatWhen } from "@/components/runs/run-status";
import { NewVersionForm } from "@/components/datasets/new-version-form";
import { RoleGate } from "@/components/role-context";
import { shortHash, stateClass, stateLabel } from "@/components/datasets/version-format";

export const dynamic = "force-dynamic";

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { run } = await searchParams;
  const preselected = (Array.isArray(run) ? run : run === undefined ? [] : [run]).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const db = await database();
  const [versions, runs] = await Promise.all([listVersions(db), listRunProgress(db)]);
  return (
    <>
      <h1>Datasets</h1>
      <p className="lead">
        Immutable dataset versions frozen from runs&apos; kept samples with their labels in force, reviewed and approved by an approver, and
        exported as the FineMed training splits with a manifest, a dataset card and trainer configurations.
      </p>
      <table className="grid" aria-label="Dataset versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>State</th>
            <th className="num">Members</th>
            <th>Content hash</th>
            <th>Per split (SFT / IM / Endo / long-form / DPO)</th>
            <th>Created</th>
            <th>Decision</th>
          </tr>
        </thead>
        <tbody>
          {versions.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">
                No dataset version yet: create one below, or run <code>npx finemed dataset create --name NAME --run RUN_ID</code>.
              </td>
            </tr>
          ) : (
            versions.map((v) => {
              const p = v.counts.pools;
              return (
                <tr key={v.id}>
                  <td>
                    <Link href={`/datasets/${v.id}`}>{v.name}</Link>
                  </td>
                  <td className={stateClass(v.state)}>{stateLabel(v.state)}</td>
                  <td className="num">{formatCount(v.memberCount)}</td>
                  <td>
                    <code title={v.contentHash}>{shortHash(v.contentHash)}</code>
                  </td>
                  <td className="muted">{[p.sft, p.internalMedicine, p.endocrinology, p.longForm, p.dpo].map(formatCount).join(" / ")}</td>
                  <td className="muted" style={{ whiteSpace: "nowrap" }}>
                    {v.createdBy} · {formatWhen(v.createdAt).slice(0, 16)}
                  </td>
                  <td className="muted">
                    {v.decidedBy ? `${stateLabel(v.state)} by ${v.decidedBy} · ${formatWhen(v.decidedAt).slice(0, 16)}` : "—"}
                    {v.rejectionReason ? `: ${v.rejectionReason}` : null}
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
      <h2 id="new-version">New version</h2>
      <div className="panel">
        <RoleGate needs="curator" what="Creating a version">
          <NewVersionForm
            runs={runs.map((run) => ({ runId: run.runId, name: run.name, status: run.status, kept: run.kept }))}
            preselectedRunIds={preselected}
          />
        </RoleGate>
      </div>
    </>
  );
}
