"use client";

import { useEffect, useState } from "react";
import { useRole } from "@/components/role-context";
import { roleAllows } from "@/lib/auth/roles";
import type { ProjectionFreshness as Freshness } from "@/lib/map-points/projection-freshness";
import { sendJson } from "@/components/samples/send-json";

const POLL_MS = 30_000;

/**
 * Says how many samples of the projection's scope (new runs, samples kept since) are not on the map, and
 * offers to project them: a projection like this one over the whole scope, which the page switches to
 * when the worker has finished it. It asks only once the points have arrived: its count is an anti-join over the
 * whole scope, and run beside the points' read on a 1,000,000-point map it took a core from it for the whole read.
 */
export function ProjectionFreshness({
  projectionId,
  following,
  pointsSettled,
  onQueued,
}: {
  projectionId: string;
  following: boolean;
  /** The map's points have arrived (or failed): until then the count waits. */
  pointsSettled: boolean;
  onQueued: (id: string) => void;
}) {
  const role = useRole();
  const [freshness, setFreshness] = useState<Freshness | null>(null);
  const [generation, setGeneration] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!pointsSettled) return;
    let current = true;
    void sendJson<Freshness>(`/api/projections/${projectionId}/freshness`, "GET").then((answer) => {
      if (current && answer.ok) setFreshness(answer.value);
    });
    const timer = setTimeout(() => setGeneration((n) => n + 1), POLL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [projectionId, generation, pointsSettled]);

  if (!freshness || freshness.missing === 0) return null;

  async function project() {
    setBusy(true);
    const answer = await sendJson<{ id: string }>(`/api/projections/${projectionId}/freshness`, "POST");
    setBusy(false);
    setProblem(answer.ok ? null : answer.error);
    if (answer.ok) onQueued(answer.value.id);
  }

  const runs = freshness.runs.slice(0, 3).map((run) => `${run.name}: ${run.missing.toLocaleString("en")}`);
  return (
    <div className="map-freshness" role="status" data-testid="map-freshness">
      <span>
        <strong>{freshness.missing.toLocaleString("en")}</strong> {freshness.missing === 1 ? "sample" : "samples"} of newer runs{" "}
        {freshness.missing === 1 ? "is" : "are"} not on this map ({runs.join(", ")}
        {freshness.runs.length > 3 ? `, ${freshness.runs.length - 3} more runs` : ""}).
      </span>
      {following ? (
        <span className="muted">Projecting them: the map switches to the new projection when the worker has finished it.</span>
      ) : roleAllows(role, "curator") ? (
        <button type="button" className="secondary small-button" disabled={busy} onClick={project}>
          Project them
        </button>
      ) : (
        <span className="muted">A curator can project them.</span>
      )}
      {problem ? <span className="status-bad">{problem}</span> : null}
    </div>
  );
}
