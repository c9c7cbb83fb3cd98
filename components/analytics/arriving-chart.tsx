"use client";

import { useEffect, useState } from "react";
import type { DepartmentDistribution } from "@/lib/samples/department-distribution";
import type { PipelineFunnel } from "@/lib/samples/pipeline-funnel";
import type { Histogram } from "@/lib/samples/score-histogram";
import type { ScoreQuartiles } from "@/lib/samples/score-quartiles";
import { BoxPlotChart } from "@/components/analytics/box-plot-chart";
import { DepartmentChart } from "@/components/analytics/department-chart";
import { FunnelChart } from "@/components/analytics/funnel-chart";
import { ScoreHistogramChart } from "@/components/analytics/score-histogram-chart";

/** What one chart draws, as its aggregate resolves on the server. */
export type ChartPayload =
  | { kind: "funnel"; funnel: PipelineFunnel }
  | { kind: "histogram"; title: string; histogram: Histogram; groupNames: Record<string, string> }
  | { kind: "box-plot"; title: string; quartiles: ScoreQuartiles; groupNames: Record<string, string> }
  | { kind: "departments"; title: string; distribution: DepartmentDistribution };

type Arrival = { kind: "counting" } | { kind: "ready"; payload: ChartPayload } | { kind: "failed"; message: string };

function ChartFor({ payload }: { payload: ChartPayload }) {
  switch (payload.kind) {
    case "funnel":
      return <FunnelChart funnel={payload.funnel} />;
    case "histogram":
      return <ScoreHistogramChart title={payload.title} histogram={payload.histogram} groupNames={payload.groupNames} />;
    case "box-plot":
      return <BoxPlotChart title={payload.title} quartiles={payload.quartiles} groupNames={payload.groupNames} />;
    case "departments":
      return <DepartmentChart title={payload.title} distribution={payload.distribution} />;
  }
}

/**
 * One chart whose aggregate the server streams as a promise. It draws the moment its own promise
 * resolves. A Suspense boundary per chart did the same on paper, but React reveals boundaries that
 * resolve close together in one throttled batch (about 300 ms after the placeholders), so every chart
 * waited for the throttle and then for all ten to render at once.
 */
export function ArrivingChart({ title, pending }: { title: string; pending: Promise<ChartPayload> }) {
  const [arrival, setArrival] = useState<{ from: Promise<ChartPayload>; state: Arrival } | null>(null);
  useEffect(() => {
    let current = true;
    pending.then(
      (payload) => current && setArrival({ from: pending, state: { kind: "ready", payload } }),
      (error: unknown) =>
        current &&
        setArrival({ from: pending, state: { kind: "failed", message: error instanceof Error ? error.message : String(error) } }),
    );
    return () => {
      current = false;
    };
  }, [pending]);
  const state: Arrival = arrival?.from === pending ? arrival.state : { kind: "counting" };

  if (state.kind === "ready") return <ChartFor payload={state.payload} />;
  if (state.kind === "failed") {
    return (
      <section className="panel chart-panel" aria-label={title}>
        <h3>{title}</h3>
        <p className="status-bad" role="alert">
          This chart could not be counted ({state.message}). Reload the page to try again; the other charts do not depend on it.
        </p>
      </section>
    );
  }
  return (
    <section className="panel chart-panel chart-loading" aria-label={`${title} (loading)`} aria-busy="true">
      <h3>{title}</h3>
      <p className="muted small">Counting…</p>
    </section>
  );
}
