"use client";

import { showToast } from "@/components/toasts/toast-store";
import { useState } from "react";
import type { LabelChangeView, CuratedLabelView } from "@/lib/samples/label-history";
import type { SampleDetail } from "@/lib/samples/sample-detail";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { RelabelForm } from "@/components/samples/relabel-form";
import { formatDepartment, formatWhen } from "@/components/samples/sample-format";
import { sendJson } from "@/components/samples/send-json";

function labelText(label: CuratedLabelView | null): string {
  return label === null ? "model's label" : `${formatDepartment(label.primary)} / ${formatDepartment(label.secondary)}`;
}

function HistoryRow({ change, onUndo, busy }: { change: LabelChangeView; onUndo: (id: number) => void; busy: boolean }) {
  const undoable = change.kind !== "undo" && change.kind !== "merge" && change.undoneByChangeId === null;
  return (
    <tr>
      <td className="muted">{formatWhen(change.at)}</td>
      <td>{change.actor}</td>
      <td>{change.kind}</td>
      <td>{labelText(change.from)}</td>
      <td>{labelText(change.to)}</td>
      <td>{change.reason}</td>
      <td>
        {undoable ? (
          <button type="button" className="secondary small-button" disabled={busy} onClick={() => onUndo(change.id)}>
            Undo
          </button>
        ) : change.undoneByChangeId !== null ? (
          <span className="muted">undone</span>
        ) : null}
      </td>
    </tr>
  );
}

/** The model's label (with its raw answer), the label in force, the relabel form and the audited history. */
export function LabelsSection({
  detail,
  taxonomy,
  onChanged,
  onReload,
}: {
  detail: SampleDetail;
  taxonomy: Taxonomy;
  onChanged: () => void;
  onReload: () => void;
}) {
  const { sample } = detail;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function undo(changeId: number) {
    setBusy(true);
    const answer = await sendJson(`/api/labels/changes/${changeId}/undo`, "POST");
    setBusy(false);
    setProblem(answer.ok ? null : answer.error);
    showToast(
      answer.ok ? "undone" : answer.status === 409 ? "conflict" : "error",
      answer.ok ? `Sample ${sample.id}: change undone.` : `Sample ${sample.id}: ${answer.error}`,
    );
    if (answer.ok) onChanged();
  }

  return (
    <section aria-label="Department labels">
      <h3>Department labels</h3>
      <dl className="facts compact">
        {detail.modelLabels.map((label) => (
          <div key={label.level} className="fact-pair">
            <dt>Model ({label.level})</dt>
            <dd>
              {formatDepartment(label.department)} <span className="muted">raw answer: “{label.rawAnswer}”</span>
            </dd>
          </div>
        ))}
        <dt>Curated</dt>
        <dd>
          {sample.curated ? (
            <span className="curated-label">{`${formatDepartment(sample.curated.primary)} / ${formatDepartment(sample.curated.secondary)}`}</span>
          ) : (
            "no override"
          )}
        </dd>
        <dt>In force</dt>
        <dd data-testid="label-in-force">
          {formatDepartment(sample.label.primary)} / {formatDepartment(sample.label.secondary)}
        </dd>
      </dl>
      <RelabelForm
        key={`${sample.id}-${sample.labelVersion}`}
        sample={sample}
        taxonomy={taxonomy}
        onChanged={onChanged}
        onReload={onReload}
      />
      <h4>History</h4>
      {problem ? (
        <p className="status-bad" role="alert">
          {problem}
        </p>
      ) : null}
      <table className="grid compact" aria-label="Label history">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Kind</th>
            <th>From</th>
            <th>To</th>
            <th>Reason</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {detail.labelHistory.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">
                No curator has changed this label.
              </td>
            </tr>
          ) : (
            detail.labelHistory.map((change) => <HistoryRow key={change.id} change={change} onUndo={undo} busy={busy} />)
          )}
        </tbody>
      </table>
    </section>
  );
}
