import Link from "next/link";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { listVersions } from "@/lib/datasets";
import {
  CHAIN_STAGES,
  DEFAULT_SBATCH_TEMPLATE,
  defaultExportDir,
  trainingShortSplits,
  listChains,
  listProfiles,
  preflight,
  STAND_IN_LABEL,
  TEMPLATE_PLACEHOLDERS,
} from "@/lib/training";
import { StartChainForm } from "@/components/training/start-chain-form";
import { ProfileEditor } from "@/components/training/profile-editor";
import { formatTime, trainingStateClass } from "@/components/training/chain-format";

export const dynamic = "force-dynamic";

const Query = z.object({ versionId: z.uuid().optional() });

export default async function TrainingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = Query.safeParse(await searchParams);
  const preselected = query.success ? (query.data.versionId ?? null) : null;
  const db = await database();
  const [versions, chains, profiles] = await Promise.all([listVersions(db), listChains(db), listProfiles(db)]);
  const approved = versions.filter((v) => v.state === "approved");
  // What Start and the job bundle would train on short or empty: the studio export's, or before it, the studio's options'.
  const shortSplits = await Promise.all(approved.map((v) => trainingShortSplits(v, defaultExportDir(v.id))));
  const slurmProfiles = profiles.filter((p) => p.profile.kind === "slurm").map((p) => p.profile);
  // Whether this studio can submit with each profile (is sbatch here, ssh, slurmrestd answering).
  const readiness = Object.fromEntries(
    (await Promise.all(slurmProfiles.map(preflight))).map((p) => [p.profile, { ok: p.ok, checked: p.checked, reason: p.reason }]),
  );
  const byVersion = new Map<string, typeof chains>();
  for (const chain of chains) byVersion.set(chain.versionId, [...(byVersion.get(chain.versionId) ?? []), chain]);
  return (
    <>
      <h1>Training</h1>
      <p className="lead">
        The paper&apos;s chain SFT stage 1 → SFT stage 2 → SFT stage 3 → o1 SFT → DPO, then the evaluations &quot;o1 + TTT&quot; (the TTT
        job, training/ttt.py) and &quot;o1&quot; (the same benchmark without TTT), submitted to Slurm from an approved dataset
        version&apos;s export: each stage waits for the previous one to succeed (<code>--dependency=afterok</code>), and a failed stage
        cancels the rest. Without Slurm here, download the job bundle (sbatch scripts, configs, data manifest, the TTT job) or the
        Kubernetes manifests below and submit them on the cluster.
      </p>

      <h2>Start a chain</h2>
      <div className="panel">
        <StartChainForm
          versions={approved.map((v, index) => ({ id: v.id, name: v.name, approvedBy: v.decidedBy, shortSplits: shortSplits[index]! }))}
          profiles={slurmProfiles.map((p) => p.name)}
          readiness={readiness}
          preselected={preselected && approved.some((v) => v.id === preselected) ? preselected : null}
        />
      </div>

      <h2>Chains per dataset version</h2>
      {chains.length === 0 ? (
        <p className="empty">
          No training chain yet: start one above, or run{" "}
          <code style={{ whiteSpace: "nowrap" }}>npx finemed train start --dataset VERSION_ID --follow</code>.
        </p>
      ) : (
        [...byVersion.entries()].map(([versionId, list]) => {
          const version = list[0]!.version;
          return (
            <section key={versionId} data-testid={`version-chains-${versionId}`}>
              <h3>
                <Link href={`/datasets/${versionId}`}>{version.name ?? versionId}</Link>{" "}
                <span className="muted small">
                  {version.approvedBy
                    ? `approved by ${version.approvedBy} · ${formatTime(version.approvedAt)}`
                    : `${version.state ?? "unknown"} version`}
                </span>
              </h3>
              <table className="grid compact" aria-label={`Training chains of ${version.name ?? versionId}`}>
                <thead>
                  <tr>
                    <th>Chain</th>
                    <th>State</th>
                    <th>Stages</th>
                    <th>Profile</th>
                    <th className="num">o1</th>
                    <th className="num">o1 + TTT</th>
                    <th>Submitted</th>
                    <th>Finished</th>
                    <th>Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((chain) => (
                    <tr key={chain.id}>
                      <td>
                        <Link href={`/training/${chain.id}`}>{chain.id.slice(0, 8)}</Link>
                      </td>
                      <td className={trainingStateClass(chain.state)}>{chain.state}</td>
                      <td className="small">
                        {chain.jobs.map((job) => (
                          <span
                            key={job.id}
                            className={`pill ${trainingStateClass(job.state)}`}
                            title={`${job.stage}: ${job.state}${job.standIn ? ` (${STAND_IN_LABEL})` : ""}`}
                            style={{ marginRight: 3 }}
                          >
                            {job.stageOrder}
                            {job.standIn ? "*" : ""}
                          </span>
                        ))}
                        {chain.jobs.some((job) => job.standIn) ? <span className="muted"> * {STAND_IN_LABEL}</span> : null}
                      </td>
                      <td>{chain.profileName}</td>
                      {(["baseline", "ttt"] as const).map((mode) => {
                        const accuracy = chain.evaluations.find((e) => e.mode === mode)?.accuracy ?? null;
                        return (
                          <td key={mode} className="num" data-testid={`chain-accuracy-${mode}`}>
                            {accuracy === null ? "—" : `${(accuracy * 100).toFixed(2)}%`}
                          </td>
                        );
                      })}
                      <td className="muted">
                        {chain.submittedBy} · {formatTime(chain.createdAt)}
                      </td>
                      <td className="muted">{formatTime(chain.finishedAt)}</td>
                      <td className="small">{chain.reason?.split("\n")[0] ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })
      )}

      <h2>Cluster profiles</h2>
      <ProfileEditor
        profiles={profiles.map((p) => p.profile)}
        stages={CHAIN_STAGES.map((s) => ({ key: s.key, title: s.title }))}
        defaultTemplate={DEFAULT_SBATCH_TEMPLATE}
        placeholders={TEMPLATE_PLACEHOLDERS}
      />
    </>
  );
}
