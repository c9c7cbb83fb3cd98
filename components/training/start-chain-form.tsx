"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";
import { RoleReason, useRoleRefusal } from "@/components/role-context";
import type { ShortSplit } from "@/lib/export";
import { ShortSplitWarnings } from "@/components/datasets/short-split-warnings";
import { ShortSplitAcknowledgement } from "@/components/datasets/short-split-acknowledgement";

export interface ApprovedVersionOption {
  id: string;
  name: string;
  approvedBy: string | null;
  /** The splits its export would write (or wrote) empty or short: training them needs the box ticked. */
  shortSplits: readonly ShortSplit[];
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
 * The version's empty or short splits are listed beside Start, and Start and the downloads wait for the
 * box that acknowledges them (the server refuses them without it, and records it in the card and audit).
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
  // Per version: ticking the box for one version's short splits says nothing about another's.
  const [acknowledgedVersion, setAcknowledgedVersion] = useState<string | null>(null);
  const shortSplits = versions.find((v) => v.id === versionId)?.shortSplits ?? [];
  const needsAcknowledgement = shortSplits.length > 0;
  const acknowledged = needsAcknowledgement && acknowledgedVersion === versionId;
  const waiting = needsAcknowledgement && !acknowledged;

  async function start() {
    setBusy(true);
    setProblem(null);
    const answer = await sendJson<{ id: string }>("/api/training", "POST", { versionId, profile, acknowledgeShortSplits: acknowledged });
    setBusy(false);
    if (!answer.ok) setProblem(answer.error);
    else router.push(`/training/${answer.value.id}`);
  }

  const ready = readiness[profile] ?? { ok: true, checked: "", reason: null };
  const query = `versionId=${encodeURIComponent(versionId)}&profile=${encodeURIComponent(profile)}${acknowledged ? "&acknowledgeShortSplits=true" : ""}`;
  // A link cannot be disabled: until the box is ticked the downloads have no address and say why.
  const download = (path: string) =>
    waiting
      ? { role: "link", "aria-disabled": true, title: "Tick “I understand these splits are short or empty” first" }
      : { href: `${path}?${query}`, download: true };
  if (versions.length === 0) return <p className="muted">No approved dataset version yet: only an approved version can be trained.</p>;
  return (
    <>
      <ShortSplitWarnings splits={shortSplits} when="training" />
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
        {needsAcknowledgement ? (
          <ShortSplitAcknowledgement acknowledged={acknowledged} onChange={(ticked) => setAcknowledgedVersion(ticked ? versionId : null)} />
        ) : null}
        <button
          type="button"
          onClick={start}
          disabled={busy || versionId === "" || !ready.ok || refusal !== null || waiting}
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
        <a className="button secondary" {...download("/api/training/bundle")} data-testid="download-bundle">
          Download job bundle
        </a>
        <a className="button secondary" {...download("/api/training/kubernetes")} data-testid="download-kubernetes">
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
    </>
  );
}
