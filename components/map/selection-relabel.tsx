"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useRole } from "@/components/role-context";
import { roleAllows } from "@/lib/auth/roles";
import type { BulkRelabelResult } from "@/lib/labels/bulk-relabel";
import type { LabelTarget } from "@/lib/taxonomy/label-target";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { DepartmentPicker } from "@/components/samples/department-picker";
import { formatDepartment } from "@/components/samples/sample-format";
import { sendJson } from "@/components/samples/send-json";

type Step =
  | { kind: "edit" }
  | { kind: "confirm"; count: number }
  | { kind: "done"; result: BulkRelabelResult }
  | { kind: "undone"; restored: number };

/**
 * Relabels a stored map selection through the audited bulk path (/api/labels/bulk with the filter
 * `selection`), after showing the exact count; any size, since the ids never travel in the request.
 */
export function SelectionRelabel({ selectionId, taxonomy, onApplied }: { selectionId: string; taxonomy: Taxonomy; onApplied: () => void }) {
  const role = useRole();
  const [target, setTarget] = useState<LabelTarget>({ primary: "", secondary: null });
  const [reason, setReason] = useState("");
  const [step, setStep] = useState<Step>({ kind: "edit" });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const selection = { filter: { selection: selectionId } };

  async function call<T>(url: string, body?: unknown): Promise<T | null> {
    setBusy(true);
    const answer = await sendJson<T>(url, "POST", body);
    setBusy(false);
    setProblem(answer.ok ? null : answer.error);
    return answer.ok ? answer.value : null;
  }

  async function preview(event: FormEvent) {
    event.preventDefault();
    const answer = await call<{ count: number }>("/api/labels/bulk", { mode: "preview", selection, to: target });
    if (answer) setStep({ kind: "confirm", count: answer.count });
  }

  async function apply() {
    const result = await call<BulkRelabelResult>("/api/labels/bulk", { mode: "apply", selection, to: target, reason });
    if (!result) return;
    setStep({ kind: "done", result });
    onApplied();
  }

  async function undo(id: string) {
    const result = await call<{ restored: number }>(`/api/labels/bulk/${id}/undo`);
    if (!result) return;
    setStep({ kind: "undone", restored: result.restored });
    onApplied();
  }

  if (!roleAllows(role, "curator")) return <p className="muted">Relabelling a selection needs the curator role.</p>;
  return (
    <section className="bulk" aria-label="Bulk relabel">
      <form className="stack" onSubmit={preview}>
        <DepartmentPicker taxonomy={taxonomy} value={target} onChange={setTarget} />
        <label>
          Bulk reason
          <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={2000} />
        </label>
        <div className="wide row-actions">
          <button type="submit" disabled={busy || target.primary === ""}>
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
            This will relabel <strong data-testid="bulk-count">{step.count}</strong> samples of the selection to{" "}
            <strong>
              {formatDepartment(target.primary)} / {formatDepartment(target.secondary)}
            </strong>
            ; those already labelled so are left alone. Every change is audited and the whole operation can be undone.
          </p>
          <button type="button" onClick={apply} disabled={busy || step.count === 0}>
            Confirm relabel of {step.count} samples
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
          Undone: {step.restored} labels restored.
        </p>
      ) : null}
    </section>
  );
}
