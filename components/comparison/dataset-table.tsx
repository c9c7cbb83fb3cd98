"use client";

import type { ComparisonDatasetRow } from "@/lib/comparison/list-comparisons";
import { JudgeForm, type RunChoice } from "@/components/comparison/judge-form";

interface Props {
  datasets: ComparisonDatasetRow[];
  runs: RunChoice[];
  selected: Set<string>;
  onToggle: (judgingId: string) => void;
  onChanged: () => void;
}

function progressText(row: ComparisonDatasetRow): string {
  const judging = row.judging;
  if (!judging) return "not judged";
  const done = judging.judged + judging.failed;
  return `${judging.status}: ${done}/${judging.sampleSize} (${judging.failed} failed)`;
}

/** The comparison datasets, their latest judging's progress, and a checkbox to chart each. */
export function DatasetTable({ datasets, runs, selected, onToggle, onChanged }: Props) {
  if (datasets.length === 0) return <p className="empty">No comparison datasets yet: import one above.</p>;
  return (
    <table className="grid" aria-label="Comparison datasets">
      <thead>
        <tr>
          <th>Chart</th>
          <th>Dataset</th>
          <th>Instructions</th>
          <th>Judging</th>
          <th>Judge</th>
          <th>Calls made / reused</th>
          <th>Judge a sample</th>
        </tr>
      </thead>
      <tbody>
        {datasets.map((row) => (
          <tr key={row.id} data-dataset={row.name}>
            <td>
              {row.judging ? (
                <input
                  type="checkbox"
                  aria-label={`Chart ${row.name}`}
                  checked={selected.has(row.judging.id)}
                  onChange={() => onToggle(row.judging!.id)}
                />
              ) : null}
            </td>
            <td>{row.name}</td>
            <td>
              {row.instructionCount.toLocaleString("en")}
              {row.rejectedCount > 0 ? <span className="muted small"> ({row.rejectedCount} rejected)</span> : null}
            </td>
            <td className="judging-progress">{progressText(row)}</td>
            <td className="muted small">{row.judging ? `${row.judging.judgeModel} @ ${row.judging.judgeBaseUrl}` : "–"}</td>
            <td>{row.judging ? `${row.judging.callsMade} / ${row.judging.callsReused}` : "–"}</td>
            <td>
              <JudgeForm datasetId={row.id} runs={runs} onStarted={onChanged} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
