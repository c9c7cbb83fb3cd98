"use client";

import { useCallback, useState } from "react";
import { usePolling } from "@/components/use-polling";
import type { RunSnapshot } from "@/lib/runs/run-detail";
import { BackendHealth } from "./backend-health";
import { FailedItems } from "./failed-items";
import { RunControls } from "./run-controls";
import { formatEta, RunHealthPanel } from "./run-health-panel";
import { RunSetup } from "./run-setup";
import { formatCount, formatWhen, isActiveRun, runStatusClass } from "./run-status";
import { ServerConcurrencyTable } from "./server-concurrency-table";
import { StageTable } from "./stage-table";
import { ThroughputPanel } from "./throughput-panel";

const POLL_MS = 2_000;

/** The run page's live part: the server renders it once, then it polls GET /api/runs/:id while the run works. */
export function RunLive({ initial }: { initial: RunSnapshot }) {
  const [snapshot, setSnapshot] = useState(initial);
  const [stale, setStale] = useState(false);
  const { summary, detail } = snapshot;
  const runId = summary.runId;
  const active = isActiveRun(summary.status);

  const refresh = useCallback(async () => {
    try {
      const response = await fetch(`/api/runs/${runId}`, { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      setSnapshot((await response.json()) as RunSnapshot);
      setStale(false);
    } catch {
      setStale(true);
    }
  }, [runId]);

  usePolling(refresh, POLL_MS, { active });

  const done = summary.texts - summary.pending;
  const tokens = summary.tokens.prompt + summary.tokens.completion;
  const calls = summary.backendCalls.made + summary.backendCalls.reused;
  return (
    <>
      {summary.simulated ? (
        <p className="panel status-warn" role="note" style={{ fontWeight: 600 }}>
          Simulated backend: every output of this run comes from the studio&apos;s simulator, not from a real model.
        </p>
      ) : null}
      <div className="panel">
        <div style={{ display: "flex", gap: 16, alignItems: "center", flexWrap: "wrap", marginBottom: 12 }}>
          <span>
            Status:{" "}
            <strong data-testid="run-status" className={runStatusClass(summary.status)}>
              {summary.status}
            </strong>
            {summary.health.state !== "ok" && active ? (
              <>
                {" · "}
                <strong data-testid="run-health" className={summary.health.state === "blocked" ? "status-bad" : "status-warn"}>
                  {summary.health.state}
                </strong>
              </>
            ) : null}
          </span>
          {stale ? <span className="status-warn">connection lost, retrying…</span> : null}
          <span style={{ flex: 1 }} />
          <RunControls runId={runId} status={summary.status} onChanged={() => void refresh()} />
        </div>
        <RunHealthPanel health={summary.health} />
        <progress value={done} max={Math.max(summary.texts, 1)} aria-label="Run progress" />
        <dl className="facts" style={{ marginTop: 12 }}>
          <dt>Texts</dt>
          <dd>
            {formatCount(done)} of {formatCount(summary.texts)} done — kept {formatCount(summary.kept)} (common{" "}
            {formatCount(summary.common)}, complex {formatCount(summary.complex)}), none kept {formatCount(summary.noneKept)},{" "}
            <span className={summary.failed > 0 ? "status-bad" : undefined}>failed {formatCount(summary.failed)}</span>
          </dd>
          {active ? (
            <>
              <dt>Pace</dt>
              <dd data-testid="run-pace">
                {summary.pace.textsPerMinute === null ? "0 texts/min" : `${summary.pace.textsPerMinute} texts/min`},{" "}
                {summary.pace.callsPerMinute === null ? "0" : summary.pace.callsPerMinute} calls/min — ETA{" "}
                <span data-testid="run-eta">{formatEta(summary.pace.etaSeconds)}</span>
                {summary.pace.basis === "calls" ? <span className="muted"> (from the call rate until a few texts finish)</span> : null}
              </dd>
            </>
          ) : null}
          <dt>Produced</dt>
          <dd>
            {formatCount(summary.instructionsGenerated)} instructions, {formatCount(summary.judged)} judged, {formatCount(summary.dpoPairs)}{" "}
            DPO pairs, {formatCount(summary.labeled)} labeled
          </dd>
          <dt>Backend calls</dt>
          <dd>
            {formatCount(summary.backendCalls.made)} made, {formatCount(summary.backendCalls.reused)} reused from the call store
            {calls > 0 ? ` (${Math.round((100 * summary.backendCalls.reused) / calls)}% reused)` : ""}
          </dd>
          <dt>Tokens</dt>
          <dd>
            {formatCount(tokens)} paid ({formatCount(summary.tokens.prompt)} prompt, {formatCount(summary.tokens.completion)} completion),{" "}
            {formatCount(summary.tokens.saved)} saved by reuse
          </dd>
          <dt>Corpus</dt>
          <dd>{summary.corpus}</dd>
          <dt>Created / started / finished</dt>
          <dd>
            {formatWhen(summary.createdAt)} / {formatWhen(summary.startedAt)} / {formatWhen(summary.finishedAt)}
          </dd>
        </dl>
      </div>
      <h2>Stages</h2>
      <StageTable stages={detail.stages} />
      {detail.config ? (
        <>
          <h2>Concurrency per server</h2>
          <ServerConcurrencyTable roles={detail.config.roles} concurrency={summary.health.concurrency} />
        </>
      ) : null}
      <h2>Throughput</h2>
      <div className="panel">
        <ThroughputPanel throughput={detail.throughput} />
      </div>
      <h2>Backend health</h2>
      <BackendHealth runId={runId} active={active} />
      <h2>Failed items</h2>
      <FailedItems runId={runId} newest={detail.failures} total={summary.failed} />
      <RunSetup config={detail.config} prompts={detail.prompts} />
    </>
  );
}
