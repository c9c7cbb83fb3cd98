import Link from "next/link";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { HISTOGRAM_GROUPS } from "@/lib/samples";
import {
  StreamedBoxPlot,
  StreamedDepartments,
  StreamedFunnel,
  StreamedHistogram,
  chartContext,
} from "@/components/analytics/streamed-charts";

export const dynamic = "force-dynamic";

const Search = z.object({ by: z.enum(HISTOGRAM_GROUPS).optional() });

const GROUP_NAMES: Record<(typeof HISTOGRAM_GROUPS)[number], string> = {
  run: "run",
  corpus: "corpus",
  tier: "tier",
  status: "kept / filter reason",
  primary: "primary department",
  secondary: "secondary department",
};

const SCORES = [
  { field: "quality", title: "Quality" },
  { field: "difficulty", title: "Difficulty" },
  { field: "relevance", title: "Relevance" },
  { field: "reward", title: "Reward" },
] as const;

const BOXED = SCORES.slice(0, 3);

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = Search.safeParse(await searchParams);
  const by = parsed.success ? parsed.data.by : undefined;
  // Every number on this page is aggregated by the database; each chart streams in when its own query is done.
  const context = chartContext(await database(), by);
  return (
    <>
      <div className="page-head">
        <h1>Analytics</h1>
        <Link href="/samples">Samples</Link>
        <Link href="/analytics/comparison">Dataset comparison</Link>
        <Link href="/taxonomy">Taxonomy</Link>
      </div>
      <p className="lead">
        Score distributions, department shares and the pipeline funnel over all runs, aggregated in the database. Brush a histogram (drag
        the handles under it) or type bounds to see how many samples a threshold keeps, then open exactly those rows.
      </p>
      {parsed.success ? null : (
        <p className="status-bad" role="alert">
          Unknown grouping; showing all samples together.
        </p>
      )}
      <form className="what-if" method="get" aria-label="Histogram grouping">
        <label>
          Group histograms by{" "}
          <select name="by" defaultValue={by ?? ""}>
            <option value="">nothing (all samples)</option>
            {HISTOGRAM_GROUPS.map((group) => (
              <option key={group} value={group}>
                {GROUP_NAMES[group]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary">
          Show
        </button>
      </form>
      <h2>Pipeline</h2>
      <StreamedFunnel context={context} />
      <h2>Scores{by ? ` by ${GROUP_NAMES[by]}` : ""}</h2>
      <div className="chart-grid">
        {SCORES.map(({ field, title }) => (
          <StreamedHistogram key={field} context={context} field={field} title={title} />
        ))}
      </div>
      <h2>Distributions by group{by ? ` (${GROUP_NAMES[by]})` : ""}</h2>
      <p className="muted small">
        Box from the first to the third quartile, bar at the median, dot at the mean, whiskers at the minimum and maximum.
      </p>
      <div className="chart-grid box-plot-grid">
        {BOXED.map(({ field, title }) => (
          <StreamedBoxPlot key={field} context={context} field={field} title={title} />
        ))}
      </div>
      <h2>Departments of kept samples: model vs curated</h2>
      <div className="chart-grid">
        <StreamedDepartments context={context} level="primary" title="Primary departments" />
        <StreamedDepartments context={context} level="secondary" title="Secondary departments" />
      </div>
      <h2>Dataset comparison</h2>
      <p className="muted">
        Import another dataset&apos;s instructions, judge a random sample with the same prompt and backend, and compare its quality and
        complexity distributions with FineMed&apos;s (the paper&apos;s Figure 3):{" "}
        <Link href="/analytics/comparison">open dataset comparison</Link>.
      </p>
    </>
  );
}
