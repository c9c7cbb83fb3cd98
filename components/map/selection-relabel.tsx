"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useRole } from "@/components/role-context";
import { roleAllows } from "@/lib/auth/roles";
import type { LabelTarget } from "@/lib/taxonomy/label-target";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { DepartmentPicker } from "@/components/samples/department-picker";
import { BulkRelabelSteps, useBulkRelabel } from "@/components/samples/bulk-relabel-flow";

/**
 * Relabels a stored map selection through the audited bulk path (/api/labels/bulk with the filter
 * `selection`), after showing the exact breakdown; any size, since the ids never travel in the request.
 */
export function SelectionRelabel({ selectionId, taxonomy, onApplied }: { selectionId: string; taxonomy: Taxonomy; onApplied: () => void }) {
  const role = useRole();
  const [target, setTarget] = useState<LabelTarget>({ primary: "", secondary: null });
  const [reason, setReason] = useState("");
  const flow = useBulkRelabel({ filter: { selection: selectionId } }, target, reason, onApplied);
  const { busy } = flow;

  function preview(event: FormEvent) {
    event.preventDefault();
    void flow.preview();
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
      <BulkRelabelSteps flow={flow} target={target} />
    </section>
  );
}
