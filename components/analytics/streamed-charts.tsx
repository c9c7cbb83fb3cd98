import { Suspense } from "react";
import type { Database } from "@/lib/db/database";
import { listRunProgress } from "@/lib/runs/run-list";
import { departmentDistribution, histogram, pipelineFunnel, scoreQuartiles, type HistogramGroup } from "@/lib/samples";
import type { HistogramField } from "@/lib/samples/score-histogram";
import { BoxPlotChart } from "@/components/analytics/box-plot-chart";
import { DepartmentChart } from "@/components/analytics/department-chart";
import { FunnelChart } from "@/components/analytics/funnel-chart";
import { ScoreHistogramChart } from "@/components/analytics/score-histogram-chart";

// Each chart awaits its own aggregate inside its own Suspense boundary, so the server streams every
// chart the moment its query finishes instead of holding the page for the slowest one.

export interface ChartContext {
  db: Database;
  by: HistogramGroup | undefined;
}

async function groupNames({ db, by }: ChartContext): Promise<Record<string, string>> {
  if (by !== "run") return {};
  return Object.fromEntries((await listRunProgress(db)).map((run) => [run.runId, run.name]));
}

function ChartPlaceholder({ title }: { title: string }) {
  return (
    <section className="panel chart-panel chart-loading" aria-label={`${title} (loading)`} aria-busy="true">
      <h3>{title}</h3>
      <p className="muted small">Counting…</p>
    </section>
  );
}

async function Funnel({ db }: ChartContext) {
  return <FunnelChart funnel={await pipelineFunnel(db)} />;
}

async function Histogram({ context, field, title }: { context: ChartContext; field: HistogramField; title: string }) {
  const [result, names] = await Promise.all([histogram(context.db, field, undefined, context.by), groupNames(context)]);
  return <ScoreHistogramChart title={title} histogram={result} groupNames={names} />;
}

async function BoxPlot({ context, field, title }: { context: ChartContext; field: HistogramField; title: string }) {
  const [quartiles, names] = await Promise.all([scoreQuartiles(context.db, field, undefined, context.by), groupNames(context)]);
  return <BoxPlotChart title={title} quartiles={quartiles} groupNames={names} />;
}

async function Departments({ db, level, title }: ChartContext & { level: "primary" | "secondary"; title: string }) {
  return <DepartmentChart distribution={await departmentDistribution(db, level)} title={title} />;
}

export function StreamedFunnel({ context }: { context: ChartContext }) {
  return (
    <Suspense fallback={<ChartPlaceholder title="Pipeline funnel" />}>
      <Funnel {...context} />
    </Suspense>
  );
}

export function StreamedHistogram({ context, field, title }: { context: ChartContext; field: HistogramField; title: string }) {
  return (
    <Suspense fallback={<ChartPlaceholder title={`${title} histogram`} />}>
      <Histogram context={context} field={field} title={title} />
    </Suspense>
  );
}

export function StreamedBoxPlot({ context, field, title }: { context: ChartContext; field: HistogramField; title: string }) {
  return (
    <Suspense fallback={<ChartPlaceholder title={`${title} box plot`} />}>
      <BoxPlot context={context} field={field} title={title} />
    </Suspense>
  );
}

export function StreamedDepartments({ context, level, title }: { context: ChartContext; level: "primary" | "secondary"; title: string }) {
  return (
    <Suspense fallback={<ChartPlaceholder title={title} />}>
      <Departments {...context} level={level} title={title} />
    </Suspense>
  );
}
