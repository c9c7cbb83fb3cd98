"use client";

import { useMemo, useState } from "react";
import { Bar, BarChart, Brush, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Histogram } from "@/lib/samples/score-histogram";
import { seriesColor } from "@/components/analytics/chart-colors";
import { ThresholdWhatIf, type ScoreRange } from "@/components/analytics/threshold-what-if";

interface BucketRow {
  label: string;
  from: number;
  to: number;
  [series: string]: number | string;
}

function edge(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// A range's bounds are rounded outwards, so the default range (and a brushed one) never drops the
// sample sitting exactly on an edge: rounding to nearest made the reward range count 364 of 367.
function lowerEdge(value: number): number {
  return Math.floor(value * 1000) / 1000;
}

function upperEdge(value: number): number {
  return Math.ceil(value * 1000) / 1000;
}

/**
 * One score's distribution, a bar series per group. The buckets arrive aggregated from SQL; this only
 * lays them out side by side. Brushing the x axis (or typing bounds) picks a range whose row count the
 * server then reports, with a link to those rows.
 */
export function ScoreHistogramChart({
  histogram,
  title,
  groupNames,
}: {
  histogram: Histogram;
  title: string;
  groupNames: Record<string, string>;
}) {
  const { rows, keys } = useMemo(() => {
    const byFrom = new Map<number, BucketRow>();
    const names: string[] = [];
    for (const series of histogram.series) {
      const key = series.group === null ? "(none)" : (groupNames[series.group] ?? series.group);
      names.push(key);
      for (const bucket of series.buckets) {
        const row = byFrom.get(bucket.from) ?? {
          label: histogram.field === "reward" ? edge(bucket.from).toString() : String(bucket.from),
          from: bucket.from,
          to: bucket.to,
        };
        row[key] = bucket.count;
        byFrom.set(bucket.from, row);
      }
    }
    return { rows: [...byFrom.values()].sort((a, b) => a.from - b.from), keys: names };
  }, [histogram, groupNames]);
  const [range, setRange] = useState<ScoreRange | null>(null);
  const first = rows[0];
  const last = rows.at(-1);
  const shown = range ?? (first && last ? { min: lowerEdge(first.from), max: upperEdge(last.to) } : null);

  return (
    <section className="panel chart-panel" aria-label={`${title} histogram`}>
      <h3>{title}</h3>
      {histogram.series.map((series) => (
        <p key={series.group ?? "none"} className="muted small">
          {series.group === null ? "(none)" : (groupNames[series.group] ?? series.group)}: n={series.count.toLocaleString("en")}, mean{" "}
          {series.mean === null ? "–" : series.mean.toFixed(2)}, median {series.median === null ? "–" : edge(series.median)}
        </p>
      ))}
      {rows.length === 0 ? (
        <p className="empty">No scored samples yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} />
            <YAxis allowDecimals={false} width={48} tick={{ fontSize: 12 }} />
            <Tooltip />
            {keys.length > 1 ? <Legend /> : null}
            {keys.map((key, index) => (
              <Bar key={key} dataKey={key} stackId="score" fill={seriesColor(index)} isAnimationActive={false} />
            ))}
            <Brush
              dataKey="label"
              height={34}
              travellerWidth={16}
              onChange={({ startIndex, endIndex }) => {
                const start = rows[startIndex];
                const end = rows[endIndex];
                if (start && end) setRange({ min: lowerEdge(start.from), max: upperEdge(end.to) });
              }}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
      {shown ? (
        <>
          <div className="what-if">
            <label>
              {title} from{" "}
              <input
                type="number"
                step="any"
                value={shown.min}
                onChange={(event) => setRange({ ...shown, min: Number(event.target.value) })}
                style={{ width: 80 }}
              />
            </label>
            <label>
              to{" "}
              <input
                type="number"
                step="any"
                value={shown.max}
                onChange={(event) => setRange({ ...shown, max: Number(event.target.value) })}
                style={{ width: 80 }}
              />
            </label>
          </div>
          <ThresholdWhatIf field={histogram.field} range={shown} />
        </>
      ) : null}
    </section>
  );
}
