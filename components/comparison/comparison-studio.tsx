"use client";

import { usePolling } from "@/components/use-polling";
import { useCallback, useEffect, useState } from "react";
import type { ComparisonDatasetRow } from "@/lib/comparison/list-comparisons";
import type { ScoreDistributions } from "@/lib/comparison/score-distributions";
import { ComparisonUploadForm } from "@/components/comparison/upload-form";
import { DatasetTable } from "@/components/comparison/dataset-table";
import { DistributionChart } from "@/components/comparison/distribution-chart";
import type { RunChoice } from "@/components/comparison/judge-form";

const FIELDS = [
  { field: "quality", title: "Quality" },
  { field: "difficulty", title: "Difficulty" },
  { field: "relevance", title: "Relevance" },
] as const;

// Progress is polled only while a judging runs; finished pages stay quiet.
const POLL_MS = 1_500;

/** The comparison page's live part: datasets and progress, the selection, and the charts it drives. */
export function ComparisonStudio({ initial, runs }: { initial: ComparisonDatasetRow[]; runs: RunChoice[] }) {
  const [datasets, setDatasets] = useState(initial);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(initial.flatMap((d) => (d.judging ? [d.judging.id] : []))));
  const [runId, setRunId] = useState("");
  const [charts, setCharts] = useState<ScoreDistributions[]>([]);

  const refresh = useCallback(async () => {
    const response = await fetch("/api/comparisons", { cache: "no-store" });
    if (!response.ok) return;
    const body = (await response.json()) as { datasets: ComparisonDatasetRow[] };
    setDatasets(body.datasets);
    // A newly started judging replaces its dataset's previous one in the selection.
    setSelected((current) => {
      const next = new Set(current);
      for (const row of body.datasets) if (row.judging && !current.has(row.judging.id)) next.add(row.judging.id);
      const live = new Set(body.datasets.flatMap((d) => (d.judging ? [d.judging.id] : [])));
      for (const id of next) if (!live.has(id)) next.delete(id);
      return next.size === current.size && [...next].every((id) => current.has(id)) ? current : next;
    });
  }, []);

  const running = datasets.some((d) => d.judging?.status === "running");
  usePolling(refresh, POLL_MS, { active: running });

  const progressKey = datasets.map((d) => `${d.judging?.id}:${(d.judging?.judged ?? 0) + (d.judging?.failed ?? 0)}`).join(",");
  useEffect(() => {
    let cancelled = false;
    const query = (field: string) => {
      const params = new URLSearchParams({ field });
      for (const id of selected) params.append("judging", id);
      if (runId) params.set("run", runId);
      return `/api/comparisons/distributions?${params}`;
    };
    void Promise.all(
      FIELDS.map(({ field }) => fetch(query(field), { cache: "no-store" }).then((r) => r.json() as Promise<ScoreDistributions>)),
    ).then((loaded) => {
      if (!cancelled) setCharts(loaded);
    });
    return () => {
      cancelled = true;
    };
  }, [selected, runId, progressKey]);

  const toggle = (judgingId: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(judgingId)) next.add(judgingId);
      return next;
    });

  return (
    <>
      <ComparisonUploadForm onImported={() => void refresh()} />
      <section className="panel">
        <h3>Comparison datasets</h3>
        <DatasetTable datasets={datasets} runs={runs} selected={selected} onToggle={toggle} onChanged={() => void refresh()} />
      </section>
      <section className="panel">
        <label>
          FineMed side{" "}
          <select value={runId} onChange={(event) => setRunId(event.target.value)} aria-label="FineMed side">
            <option value="">all judged FineMed instructions</option>
            {runs.map((run) => (
              <option key={run.runId} value={run.runId}>
                {run.name}
              </option>
            ))}
          </select>
        </label>
      </section>
      <div className="chart-grid">
        {charts.map((distributions, index) => (
          <DistributionChart key={distributions.field} distributions={distributions} title={FIELDS[index]?.title ?? distributions.field} />
        ))}
      </div>
    </>
  );
}
