"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";
import { RoleReason, useRoleRefusal } from "@/components/role-context";

export interface ApprovedVersionOption {
  id: string;
  name: string;
  approvedBy: string | null;
}

/** What the server found when it checked a profile's way to the cluster (sbatch, ssh, slurmrestd). */
export interface ProfileReadiness {
  ok: boolean;
  checked: string;
  reason: string | null;
}

/**
 * Starts the chain for an approved version with a profile; Start is disabled, with the reason, when the
 * profile's cluster cannot be reached from here, and the job bundle or Kubernetes manifests download instead. The server exports the version (once),
 * checks the approval (409 otherwise) and the role (approver), and its reason is shown as it comes.
 */
export function StartChainForm({
  versions,
  profiles,
  preselected,
  readiness,
}: {
  versions: ApprovedVersionOption[];
  profiles: string[];
  preselected: string | null;
  readiness: Record<string, ProfileReadiness>;
}) {
  const router = useRouter();
  const refusal = useRoleRefusal("approver", "Starting a training chain");
  const [versionId, setVersionId] = useState(preselected ?? versions[0]?.id ?? "");
  const [profile, setProfile] = useState(profiles[0] ?? "local");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function start() {
    setBusy(true);
    setProblem(null);
    const answer = await sendJson<{ id: string }>("/api/training", "POST", { versionId, profile });
    setBusy(false);
    if (!answer.ok) setProblem(answer.error);
    else router.push(`/training/${answer.value.id}`);
  }

  const ready = readiness[profile] ?? { ok: true, checked: "", reason: null };
  const query = `versionId=${encodeURIComponent(versionId)}&profile=${encodeURIComponent(profile)}`;
  if (versions.length === 0) return <p className="muted">No approved dataset version yet: only an approved version can be trained.</p>;
  return (
    <div className="review-actions">
      <label>
        Approved version
        <select value={versionId} onChange={(event) => setVersionId(event.target.value)} aria-label="Dataset version to train">
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name} ({v.id.slice(0, 8)}){v.approvedBy ? `, approved by ${v.approvedBy}` : ""}
            </option>
          ))}
        </select>
      </label>
      <label>
        Cluster profile
        <select value={profile} onChange={(event) => setProfile(event.target.value)} aria-label="Cluster profile">
          {profiles.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        onClick={start}
        disabled={busy || versionId === "" || !ready.ok || refusal !== null}
        title={ready.reason ?? undefined}
        aria-describedby={refusal ? "chain-role-reason" : undefined}
      >
        {busy ? "Submitting…" : "Start training chain"}
      </button>
      {/* Only when there is a reason: an empty span would still take a gap between the buttons. */}
      {refusal ? (
        <span id="chain-role-reason">
          <RoleReason refusal={refusal} />
        </span>
      ) : null}
      <a className="button secondary" href={`/api/training/bundle?${query}`} download data-testid="download-bundle">
        Download job bundle
      </a>
      <a className="button secondary" href={`/api/training/kubernetes?${query}`} download data-testid="download-kubernetes">
        Kubernetes manifests
      </a>
      {ready.ok ? (
        <p className="muted small full-line" data-testid="preflight-ok">
          Checked: {ready.checked}
        </p>
      ) : (
        <p className="status-warn full-line" role="status" data-testid="preflight-reason">
          Start is disabled: {ready.reason}
        </p>
      )}
      <ProblemAlert problem={problem} />
    </div>
  );
}
