import type { Database } from "@/lib/db/database";
import { listRunProgress } from "@/lib/runs/run-list";
import { histogram, pipelineFunnel, scoreQuartiles, type HistogramGroup } from "@/lib/samples";
import { departmentDistributions, type DepartmentDistribution } from "@/lib/samples/department-distribution";
import type { HistogramField } from "@/lib/samples/score-histogram";
import { integerScoreCharts, INTEGER_SCORES, type IntegerScore, type IntegerScoreCharts } from "@/lib/samples/score-charts";
import { ArrivingChart, type ChartPayload } from "@/components/analytics/arriving-chart";

// Each chart's aggregate starts while the page renders and goes to the browser as a promise, so every
// chart is drawn the moment its own query finishes instead of waiting for the slowest one.

export interface ChartContext {
  db: Database;
  by: HistogramGroup | undefined;
  /** The three judge scores' histograms and box plots, counted in one scan and shared by their six charts. */
  judgeScores: Promise<IntegerScoreCharts>;
  /** Both department levels, counted in one scan and shared by their two charts. */
  departmentLevels: Promise<Record<"primary" | "secondary", DepartmentDistribution>>;
  /** Run names for a grouping by run, read once for every chart. */
  names: Promise<Record<string, string>>;
}

export function chartContext(db: Database, by: HistogramGroup | undefined): ChartContext {
  const judgeScores = integerScoreCharts(db, undefined, by);
  const departmentLevels = departmentDistributions(db);
  // Each chart awaits them on its own; this keeps a failed scan from also surfacing as an unhandled rejection.
  judgeScores.catch(() => undefined);
  const names = groupNames(db, by);
  departmentLevels.catch(() => undefined);
  names.catch(() => undefined);
  return { db, by, judgeScores, departmentLevels, names };
}

const isJudgeScore = (field: HistogramField): field is IntegerScore => (INTEGER_SCORES as readonly string[]).includes(field);

async function groupNames(db: Database, by: HistogramGroup | undefined): Promise<Record<string, string>> {
  if (by !== "run") return {};
  return Object.fromEntries((await listRunProgress(db)).map((run) => [run.runId, run.name]));
}

async function funnel({ db }: ChartContext): Promise<ChartPayload> {
  return { kind: "funnel", funnel: await pipelineFunnel(db) };
}

async function histogramChart(context: ChartContext, field: HistogramField, title: string): Promise<ChartPayload> {
  const counted = isJudgeScore(field)
    ? context.judgeScores.then((charts) => charts[field].histogram)
    : histogram(context.db, field, undefined, context.by);
  const [result, names] = await Promise.all([counted, context.names]);
  return { kind: "histogram", title, histogram: result, groupNames: names };
}

async function boxPlot(context: ChartContext, field: HistogramField, title: string): Promise<ChartPayload> {
  const counted = isJudgeScore(field)
    ? context.judgeScores.then((charts) => charts[field].quartiles)
    : scoreQuartiles(context.db, field, undefined, context.by);
  const [quartiles, names] = await Promise.all([counted, context.names]);
  return { kind: "box-plot", title, quartiles, groupNames: names };
}

async function departments({ departmentLevels }: ChartContext, level: "primary" | "secondary", title: string): Promise<ChartPayload> {
  return { kind: "departments", title, distribution: (await departmentLevels)[level] };
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
