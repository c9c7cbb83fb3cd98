import type { Database } from "@/lib/db/database";
import { listRunProgress } from "@/lib/runs/run-list";
import { departmentDistribution, histogram, pipelineFunnel, scoreQuartiles, type HistogramGroup } from "@/lib/samples";
import type { HistogramField } from "@/lib/samples/score-histogram";
import { ArrivingChart, type ChartPayload } from "@/components/analytics/arriving-chart";

// Each chart's aggregate starts while the page renders and goes to the browser as a promise, so every
// chart is drawn the moment its own query finishes instead of waiting for the slowest one.

export interface ChartContext {
  db: Database;
  by: HistogramGroup | undefined;
}

async function groupNames({ db, by }: ChartContext): Promise<Record<string, string>> {
  if (by !== "run") return {};
  return Object.fromEntries((await listRunProgress(db)).map((run) => [run.runId, run.name]));
}

async function funnel({ db }: ChartContext): Promise<ChartPayload> {
  return { kind: "funnel", funnel: await pipelineFunnel(db) };
}

async function histogramChart(context: ChartContext, field: HistogramField, title: string): Promise<ChartPayload> {
  const [result, names] = await Promise.all([histogram(context.db, field, undefined, context.by), groupNames(context)]);
  return { kind: "histogram", title, histogram: result, groupNames: names };
}

async function boxPlot(context: ChartContext, field: HistogramField, title: string): Promise<ChartPayload> {
  const [quartiles, names] = await Promise.all([scoreQuartiles(context.db, field, undefined, context.by), groupNames(context)]);
  return { kind: "box-plot", title, quartiles, groupNames: names };
}

async function departments({ db }: ChartContext, level: "primary" | "secondary", title: string): Promise<ChartPayload> {
  return { kind: "departments", title, distribution: await departmentDistribution(db, level) };
}

export function StreamedFunnel({ context }: { context: ChartContext }) {
  return <ArrivingChart title="Pipeline funnel" pending={funnel(context)} />;
}

export function StreamedHistogram({ context, field, title }: { context: ChartContext; field: HistogramField; title: string }) {
  return <ArrivingChart title={`${title} histogram`} pending={histogramChart(context, field, title)} />;
}

export function StreamedBoxPlot({ context, field, title }: { context: ChartContext; field: HistogramField; title: string }) {
  return <ArrivingChart title={`${title} box plot`} pending={boxPlot(context, field, title)} />;
}

export function StreamedDepartments({ context, level, title }: { context: ChartContext; level: "primary" | "secondary"; title: string }) {
  return <ArrivingChart title={title} pending={departments(context, level, title)} />;
}
