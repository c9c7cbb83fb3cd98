"use client";

import { useState } from "react";
import { showToast } from "@/components/toasts/toast-store";
import type { BulkRelabelPreview, BulkRelabelResult } from "@/lib/labels/bulk-relabel";
import type { BulkSelection } from "@/lib/labels/bulk-selection";
import type { LabelTarget } from "@/lib/taxonomy/label-target";
import { STATUS_NAMES, formatDepartment } from "@/components/samples/sample-format";
import { sendJson } from "@/components/samples/send-json";

type Step =
  | { kind: "edit" }
  | { kind: "confirm"; preview: BulkRelabelPreview }
  | { kind: "done"; result: BulkRelabelResult }
  | { kind: "undone"; restored: number; skipped: number };

function plural(count: number): string {
  return count === 1 ? "sample" : "samples";
}

function excludedTotal(preview: BulkRelabelPreview): number {
  return preview.excluded.reduce((sum, group) => sum + group.count, 0);
}

export function bulkTargetText(target: LabelTarget): string {
  return `${formatDepartment(target.primary)} / ${formatDepartment(target.secondary)}`;
}

/**
 * Preview → confirm → apply → undo of one audited bulk relabel, shared by the Samples table and the map's
 * selections so both show the same breakdown and leave the same toasts.
 */
export function useBulkRelabel(selection: BulkSelection, target: LabelTarget, reason: string, onApplied: () => void) {
  const [step, setStep] = useState<Step>({ kind: "edit" });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function call<T>(url: string, body?: unknown): Promise<T | null> {
    setBusy(true);
    const answer = await sendJson<T>(url, "POST", body);
    setBusy(false);
    setProblem(answer.ok ? null : answer.error);
    if (!answer.ok) showToast(answer.status === 409 ? "conflict" : "error", `Bulk relabel: ${answer.error}`);
    return answer.ok ? answer.value : null;
  }

  return {
    step,
    busy,
    problem,
    cancel: () => setStep({ kind: "edit" }),
    async preview() {
      const answer = await call<BulkRelabelPreview>("/api/labels/bulk", { mode: "preview", selection, to: target });
      if (answer) setStep({ kind: "confirm", preview: answer });
    },
    async apply() {
      const result = await call<BulkRelabelResult>("/api/labels/bulk", { mode: "apply", selection, to: target, reason });
      if (!result) return;
      setStep({ kind: "done", result });
      showToast("saved", `Relabelled ${result.count} ${plural(result.count)} to ${bulkTargetText(target)} (one bulk operation, undoable).`);
      onApplied();
    },
    async undo(id: string) {
      const result = await call<{ restored: number; skipped: number }>(`/api/labels/bulk/${id}/undo`);
      if (!result) return;
      setStep({ kind: "undone", restored: result.restored, skipped: result.skipped });
      showToast(
        "undone",
        `Bulk relabel undone: ${result.restored} labels restored${result.skipped > 0 ? `, ${result.skipped} changed since and left as they are` : ""}.`,
      );
      onApplied();
    },
  };
}

export type BulkRelabelFlow = ReturnType<typeof useBulkRelabel>;

/** What follows the form: the problem, the breakdown to confirm, the result with its undo. */
export function BulkRelabelSteps({ flow, target }: { flow: BulkRelabelFlow; target: LabelTarget }) {
  const { step, busy, problem } = flow;
  return (
    <>
      {problem ? (
        <p className="status-bad" role="alert">
          {problem}
        </p>
      ) : null}
      {step.kind === "confirm" ? (
        <div className="confirm" role="alertdialog" aria-label="Confirm bulk relabel">
          <p>
            This will relabel <strong data-testid="bulk-count">{step.preview.count}</strong> {plural(step.preview.count)} to{" "}
            <strong>{bulkTargetText(target)}</strong>. Every change is audited and the whole operation can be undone.
          </p>
          <ul className="bulk-breakdown" data-testid="bulk-breakdown">
            <li>
              <span data-testid="bulk-unchanged">{step.preview.unchanged}</span> already{" "}
              {step.preview.unchanged === 1 ? "carries" : "carry"} this label and stay as they are.
            </li>
            <li>
              <span data-testid="bulk-excluded">{excludedTotal(step.preview)}</span> left out: they have no kept outcome, so no department
              to correct
              {step.preview.excluded.length > 0
                ? ` (${step.preview.excluded.map((group) => `${group.count} ${STATUS_NAMES[group.status]}`).join(", ")})`
                : ""}
              .
            </li>
          </ul>
          <button type="button" onClick={() => void flow.apply()} disabled={busy || step.preview.count === 0}>
            Confirm relabel of {step.preview.count} samples
          </button>{" "}
          <button type="button" className="secondary" onClick={flow.cancel}>
            Cancel
          </button>
        </div>
      ) : null}
      {step.kind === "done" ? (
        <p role="status" className="status-ok">
          Relabelled {step.result.count} samples (operation <code>{step.result.bulkOperationId.slice(0, 8)}</code>).{" "}
          <button
            type="button"
            className="secondary small-button"
            disabled={busy}
            onClick={() => void flow.undo(step.result.bulkOperationId)}
          >
            Undo this bulk operation
          </button>
        </p>
      ) : null}
      {step.kind === "undone" ? (
        <p role="status" className="status-ok">
          Undone: {step.restored} labels restored{step.skipped > 0 ? `, ${step.skipped} changed since and left as they are` : ""}.
        </p>
      ) : null}
    </>
  );
}
