"use client";

import { showToast } from "@/components/toasts/toast-store";
import Link from "next/link";
import { useRole } from "@/components/role-context";
import { roleAllows } from "@/lib/auth/roles";
import { useState, type FormEvent } from "react";
import type { BulkRelabelPreview, BulkRelabelResult } from "@/lib/labels/bulk-relabel";
import type { SampleFilters } from "@/lib/samples/sample-query";
import type { LabelTarget } from "@/lib/taxonomy/label-target";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { DepartmentPicker } from "@/components/samples/department-picker";
import { STATUS_NAMES, formatDepartment } from "@/components/samples/sample-format";
import { sendJson } from "@/components/samples/send-json";

type Scope = "selected" | "filter";

function plural(count: number): string {
  return count === 1 ? "sample" : "samples";
}

function excludedTotal(preview: BulkRelabelPreview): number {
  return preview.excluded.reduce((sum, group) => sum + group.count, 0);
}
type Step =
  | { kind: "edit" }
  | { kind: "confirm"; preview: BulkRelabelPreview }
  | { kind: "done"; result: BulkRelabelResult }
  | { kind: "undone"; restored: number; skipped: number };

/** Relabels the selected rows or the whole filter, always after showing the exact count and asking. */
export function BulkRelabelPanel({
  selectedIds,
  filters,
  taxonomy,
  onApplied,
}: {
  selectedIds: number[];
  filters: SampleFilters;
  taxonomy: Taxonomy;
  onApplied: () => void;
}) {
  const role = useRole();
  const [scope, setScope] = useState<Scope>(selectedIds.length > 0 ? "selected" : "filter");
  const [target, setTarget] = useState<LabelTarget>({ primary: "", secondary: null });
  const [reason, setReason] = useState("");
  const [step, setStep] = useState<Step>({ kind: "edit" });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const selection = scope === "selected" ? { ids: selectedIds } : { filter: filters };

  async function call<T>(url: string, body?: unknown): Promise<T | null> {
    setBusy(true);
    const answer = await sendJson<T>(url, "POST", body);
    setBusy(false);
    setProblem(answer.ok ? null : answer.error);
    if (!answer.ok) showToast(answer.status === 409 ? "conflict" : "error", `Bulk relabel: ${answer.error}`);
    return answer.ok ? answer.value : null;
  }

  async function preview(event: FormEvent) {
    event.preventDefault();
    const answer = await call<BulkRelabelPreview>("/api/labels/bulk", { mode: "preview", selection, to: target });
    if (answer) setStep({ kind: "confirm", preview: answer });
  }

  async function apply() {
    const result = await call<BulkRelabelResult>("/api/labels/bulk", { mode: "apply", selection, to: target, reason });
    if (!result) return;
    setStep({ kind: "done", result });
    showToast("saved", `Relabelled ${result.count} ${plural(result.count)} to ${targetText} (one bulk operation, undoable).`);
    onApplied();
  }

  async function undo(id: string) {
    const result = await call<{ restored: number; skipped: number }>(`/api/labels/bulk/${id}/undo`);
    if (!result) return;
    setStep({ kind: "undone", restored: result.restored, skipped: result.skipped });
    showToast(
      "undone",
      `Bulk relabel undone: ${result.restored} labels restored${result.skipped > 0 ? `, ${result.skipped} changed since and left as they are` : ""}.`,
    );
    onApplied();
  }

  const targetText = `${formatDepartment(target.primary)} / ${formatDepartment(target.secondary)}`;
  if (!roleAllows(role, "curator")) {
    return (
      <p className="muted" data-testid="needs-role">
        Bulk relabelling needs the curator role.
      </p>
    );
  }
  return (
    <section className="panel bulk" aria-label="Bulk relabel">
      <h2>Bulk relabel</h2>
      <form className="stack" onSubmit={preview}>
        <fieldset className="wide">
          <legend>Apply to</legend>
          <label className="check">
            <input
              type="radio"
              name="bulk-scope"
              checked={scope === "selected"}
              disabled={selectedIds.length === 0}
              onChange={() => setScope("selected")}
            />
            the {selectedIds.length} selected rows
          </label>
          <label className="check">
            <input type="radio" name="bulk-scope" checked={scope === "filter"} onChange={() => setScope("filter")} />
            everything matching the current filter
          </label>
        </fieldset>
        <DepartmentPicker taxonomy={taxonomy} value={target} onChange={setTarget} />
        <label>
          Bulk reason
          <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={2000} />
        </label>
        <div className="wide row-actions">
          <button type="submit" disabled={busy || target.primary === "" || (scope === "selected" && selectedIds.length === 0)}>
            Preview bulk relabel
          </button>
          <Link href="/samples/operations">Bulk operations</Link>
        </div>
      </form>
      {problem ? (
        <p className="status-bad" role="alert">
          {problem}
        </p>
      ) : null}
      {step.kind === "confirm" ? (
        <div className="confirm" role="alertdialog" aria-label="Confirm bulk relabel">
          <p>
            This will relabel <strong data-testid="bulk-count">{step.preview.count}</strong> {plural(step.preview.count)} to{" "}
            <strong>{targetText}</strong>. Every change is audited and the whole operation can be undone.
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
          <button type="button" onClick={apply} disabled={busy || step.preview.count === 0}>
            Confirm relabel of {step.preview.count} samples
          </button>{" "}
          <button type="button" className="secondary" onClick={() => setStep({ kind: "edit" })}>
            Cancel
          </button>
        </div>
      ) : null}
      {step.kind === "done" ? (
        <p role="status" className="status-ok">
          Relabelled {step.result.count} samples (operation <code>{step.result.bulkOperationId.slice(0, 8)}</code>).{" "}
          <button type="button" className="secondary small-button" disabled={busy} onClick={() => undo(step.result.bulkOperationId)}>
            Undo this bulk operation
          </button>
        </p>
      ) : null}
      {step.kind === "undone" ? (
        <p role="status" className="status-ok">
          Undone: {step.restored} labels restored{step.skipped > 0 ? `, ${step.skipped} changed since and left as they are` : ""}.
        </p>
      ) : null}
    </section>
  );
}
