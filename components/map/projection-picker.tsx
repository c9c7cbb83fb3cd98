"use client";

import { useEffect, useState } from "react";
import { sendJson } from "@/components/samples/send-json";
import {
  describeParameters,
  projectionLabel,
  qualityLine,
  readProjections,
  type ProjectionSummary,
} from "@/components/map/projection-summary";
import { NewProjectionForm } from "@/components/map/new-projection-form";

const POLL_MS = 2_000;
const IDLE_POLL_MS = 30_000;

/**
 * Lists the projections (polling while one is computing), picks one, and starts new ones. A projection
 * started from this page (here or by "Project them") is shown as soon as it finishes, without a reload;
 * one started elsewhere is offered.
 */
export function ProjectionPicker({
  chosenId,
  onChoose,
  followId,
  onFollow,
}: {
  chosenId: string | null;
  onChoose: (projection: ProjectionSummary | null) => void;
  /** A projection to switch to once it is done. */
  followId: string | null;
  onFollow: (id: string | null) => void;
}) {
  const [projections, setProjections] = useState<ProjectionSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  const computing = projections?.some((p) => p.status === "queued" || p.status === "running") ?? false;

  useEffect(() => {
    let current = true;
    void sendJson<unknown>("/api/projections", "GET").then((answer) => {
      if (!current) return;
      if (!answer.ok) {
        setProblem(answer.error);
        return;
      }
      setProblem(null);
      setProjections(readProjections(answer.value));
    });
    return () => {
      current = false;
    };
  }, [generation]);

  // Polls quickly while a projection computes, and until the first one exists (the demo's is made after
  // start); slowly otherwise, so one finished elsewhere is offered on an open page.
  const followPending = followId !== null && !(projections ?? []).some((p) => p.id === followId);
  useEffect(() => {
    const quick = projections === null || computing || projections.length === 0 || followPending;
    const timer = setTimeout(() => setGeneration((n) => n + 1), quick ? POLL_MS : IDLE_POLL_MS);
    return () => clearTimeout(timer);
  }, [projections, computing, followPending]);

  const chosen = projections?.find((p) => p.id === chosenId) ?? null;
  const followed = projections?.find((p) => p.id === followId) ?? null;
  const newerDone = projections?.find((p) => p.status === "done") ?? null;
  const offered = newerDone && chosen && newerDone.id !== chosen.id && newerDone.createdAt > chosen.createdAt ? newerDone : null;

  useEffect(() => {
    if (!followed || followed.status === "queued" || followed.status === "running") return;
    onFollow(null);
    if (followed.status === "done") onChoose(followed);
  }, [followed, onChoose, onFollow]);

  // With none chosen (or the chosen one gone), the newest finished projection is shown.
  useEffect(() => {
    if (!projections) return;
    if (chosen) {
      onChoose(chosen);
      return;
    }
    onChoose(projections.find((p) => p.status === "done") ?? null);
  }, [projections, chosen, onChoose]);

  return (
    <section className="panel map-projections" aria-label="Projections">
      <div className="map-row">
        <label>
          Projection{" "}
          <select
            value={chosen?.id ?? ""}
            onChange={(event) => onChoose(projections?.find((p) => p.id === event.target.value) ?? null)}
            disabled={!projections || projections.length === 0}
          >
            {chosen ? null : <option value="">{projections === null ? "loading…" : "none yet"}</option>}
            {(projections ?? []).map((p) => (
              <option key={p.id} value={p.id} disabled={p.status !== "done"}>
                {projectionLabel(p)}
              </option>
            ))}
          </select>
        </label>
        <NewProjectionForm
          onCreated={(id) => {
            onFollow(id);
            setGeneration((n) => n + 1);
          }}
        />
      </div>
      {offered && offered.id !== followId ? (
        <p className="map-row small" role="status" data-testid="newer-projection">
          A newer projection finished ({projectionLabel(offered)}).
          <button type="button" className="secondary small-button" onClick={() => onChoose(offered)}>
            Show it
          </button>
        </p>
      ) : null}
      {problem ? (
        <p className="status-bad" role="alert">
          Projections could not be listed: {problem}
        </p>
      ) : null}
      {chosen ? (
        <dl className="facts compact" data-testid="projection-facts">
          <dt>Embedder</dt>
          <dd data-testid="map-embedder">
            {chosen.space
              ? `${chosen.space.embedder} (${chosen.space.kind}, ${chosen.space.dimensions}-d, ${chosen.space.input})`
              : "unknown"}
          </dd>
          <dt>Method</dt>
          <dd>
            {chosen.method.toUpperCase()} {describeParameters(chosen.parameters)}
          </dd>
          <dt>Points</dt>
          <dd>{chosen.pointCount?.toLocaleString("en") ?? "–"}</dd>
          <dt>Quality</dt>
          <dd
            data-testid="map-quality"
            title="neighbour preservation: share of a point's 15 nearest neighbours among all points of the embedding space that stay among its 15 nearest on the map; department purity: share of its 10 nearest in the embedding space with its primary department"
          >
            {qualityLine(chosen)}
          </dd>
        </dl>
      ) : null}
      {(projections ?? [])
        .filter((p) => p.status === "queued" || p.status === "running" || (p.status === "failed" && p.id === projections?.[0]?.id))
        .map((p) => (
          <div key={p.id} className="map-progress" role="status">
            <span>
              {projectionLabel(p)}
              {p.phase ? ` · ${p.phase}` : ""}
              {p.error ? ` · ${p.error}` : ""}
            </span>
            {p.status === "failed" ? null : <progress value={p.progress} max={1} />}
          </div>
        ))}
    </section>
  );
}
