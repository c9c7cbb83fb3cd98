"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DepartmentDistribution } from "@/lib/samples/department-distribution";
import { seriesColor } from "@/components/analytics/chart-colors";

/** Model vs curated counts per department (aggregated in SQL), with the largest curator moves. */
export function DepartmentChart({ distribution, title }: { distribution: DepartmentDistribution; title: string }) {
  const rows = distribution.departments.map((d) => ({
    name: d.department ?? (distribution.level === "primary" ? "(no label)" : "None"),
    model: d.model,
    curated: d.curated,
  }));
  return (
    <section className="panel chart-panel" aria-label={title}>
      <h3>{title}</h3>
      <ResponsiveContainer width="100%" height={Math.max(200, rows.length * 26 + 60)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="name" width={200} tick={{ fontSize: 12 }} interval={0} />
          <Tooltip />
          <Legend />
          <Bar dataKey="model" name="model's label" fill={seriesColor(3)} isAnimationActive={false} />
          <Bar dataKey="curated" name="in force after curation" fill={seriesColor(2)} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      {distribution.moves.length > 0 ? (
        <table className="grid compact" aria-label={`${title}: curator moves`}>
          <thead>
            <tr>
              <th>Model said</th>
              <th>Curated to</th>
              <th className="num">Samples</th>
            </tr>
          </thead>
          <tbody>
            {distribution.moves.slice(0, 10).map((move) => (
              <tr key={`${move.from}->${move.to}`}>
                <td>{move.from ?? "None"}</td>
                <td>{move.to ?? "None"}</td>
                <td className="num">{move.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small">No curator has moved a label at this level yet.</p>
      )}
    </section>
  );
}
