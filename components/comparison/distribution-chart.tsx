"use client";

import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ScoreDistributions } from "@/lib/comparison/score-distributions";
import { seriesColor } from "@/components/analytics/chart-colors";

/**
 * One score's distribution per dataset as grouped bars. Datasets differ in size by orders of magnitude
 * (5,000 sampled vs every FineMed judgement), so bars show each dataset's share; counts are in the tooltip.
 */
export function DistributionChart({ distributions, title }: { distributions: ScoreDistributions; title: string }) {
  const rows = useMemo(() => {
    const scores = [...new Set(distributions.series.flatMap((s) => s.buckets.map((b) => b.score)))].sort((a, b) => a - b);
    return scores.map((score) => {
      const row: Record<string, number | string> = { score: String(score) };
      for (const series of distributions.series) {
        const count = series.buckets.find((b) => b.score === score)?.count ?? 0;
        row[series.name] = series.count > 0 ? Math.round((count / series.count) * 1000) / 10 : 0;
      }
      return row;
    });
  }, [distributions]);

  return (
    <section className="panel chart-panel" aria-label={`${title} comparison`}>
      <h3>{title}</h3>
      {distributions.series.map((series) => (
        <p key={series.key} className="muted small" data-series={series.key === "finemed" ? "finemed" : "comparison"}>
          {series.name}: n={series.count.toLocaleString("en")}, mean {series.mean === null ? "–" : series.mean.toFixed(2)}, median{" "}
          {series.median === null ? "–" : series.median}
        </p>
      ))}
      {rows.length === 0 ? (
        <p className="empty">No judged instructions yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="score" />
            <YAxis unit="%" width={48} />
            <Tooltip formatter={(value) => `${String(value)}%`} />
            <Legend />
            {distributions.series.map((series, index) => (
              <Bar key={series.key} dataKey={series.name} fill={seriesColor(index)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </section>
  );
}
