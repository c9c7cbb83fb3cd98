"use client";

import { useState, type FormEvent } from "react";
import { useRole } from "@/components/role-context";
import { roleAllows } from "@/lib/auth/roles";
import type { RelabelResult } from "@/lib/labels/relabel";
import type { SampleRow } from "@/lib/samples/sample-row";
import type { LabelTarget } from "@/lib/taxonomy/label-target";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { DepartmentPicker } from "@/components/samples/department-picker";
import { sendJson } from "@/components/samples/send-json";
import { showToast } from "@/components/toasts/toast-store";

type Outcome = { kind: "done"; text: string } | { kind: "conflict"; text: string } | { kind: "refused"; text: string };

/**
 * Sends the label version the curator is looking at; if someone relabelled the sample meanwhile the
 * server answers 409 and the form says who and when and offers a reload, never overwriting silently.
 */
export function RelabelForm({
  sample,
  taxonomy,
  onChanged,
  onReload,
}: {
  sample: SampleRow;
  taxonomy: Taxonomy;
  onChanged: () => void;
  onReload: () => void;
}) {
  const role = useRole();
  const [target, setTarget] = useState<LabelTarget>({ primary: sample.label.primary ?? "", secondary: sample.label.secondary });
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const answer = await sendJson<RelabelResult>("/api/labels", "POST", {
      instructionId: sample.id,
      expectedVersion: sample.labelVersion,
      to: target,
      reason,
    });
    setBusy(false);
    if (answer.ok) {
      const text = answer.value.changed ? `Relabelled (version ${answer.value.version}).` : "Already carries that label; nothing changed.";
      setOutcome({ kind: "done", text });
      showToast("saved", `Sample ${sample.id}: ${text}`);
      setReason("");
      onChanged();
    } else {
      const conflict = answer.status === 409;
      setOutcome({ kind: conflict ? "conflict" : "refused", text: answer.error });
      showToast(conflict ? "conflict" : "error", `Sample ${sample.id}: ${answer.error}`);
    }
  }

  if (!roleAllows(role, "curator")) {
    return (
      <p className="muted" data-testid="needs-role">
        Relabelling needs the curator role.
      </p>
    );
  }
  return (
    <form className="relabel" aria-label="Relabel sample" onSubmit={submit}>
      <DepartmentPicker taxonomy={taxonomy} value={target} onChange={setTarget} />
      <label className="wide">
        Reason
        <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={2000} />
      </label>
      <div className="wide row-actions">
        <button type="submit" disabled={busy || target.primary === ""}>
          Relabel
        </button>
        <span className="muted small">
          {sample.labelVersion === 0
            ? "Never relabelled so far"
            : `Relabelled ${sample.labelVersion} ${sample.labelVersion === 1 ? "time" : "times"} so far`}
          ; if someone relabels it before you save, you will be told rather than overwrite them.
        </span>
      </div>
      {outcome?.kind === "done" ? (
        <p className="status-ok wide" role="status">
          {outcome.text}
        </p>
      ) : null}
      {outcome?.kind === "conflict" ? (
        <div className="conflict wide" role="alert">
          <strong>Conflict:</strong> {outcome.text}{" "}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setOutcome(null);
              onReload();
            }}
          >
            Reload sample
          </button>
        </div>
      ) : null}
      {outcome?.kind === "refused" ? (
        <p className="status-bad wide" role="alert">
          {outcome.text}
        </p>
      ) : null}
    </form>
  );
}
