"use client";

import Link from "next/link";
import { useRole } from "@/components/role-context";
import { roleAllows } from "@/lib/auth/roles";
import { useState, type FormEvent } from "react";
import type { SampleFilters } from "@/lib/samples/sample-query";
import type { LabelTarget } from "@/lib/taxonomy/label-target";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { DepartmentPicker } from "@/components/samples/department-picker";
import { BulkRelabelSteps, useBulkRelabel } from "@/components/samples/bulk-relabel-flow";

type Scope = "selected" | "filter";

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
  const selection = scope === "selected" ? { ids: selectedIds } : { filter: filters };
  const flow = useBulkRelabel(selection, target, reason, onApplied);
  const { busy } = flow;

  function preview(event: FormEvent) {
    event.preventDefault();
    void flow.preview();
  }

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
      <BulkRelabelSteps flow={flow} target={target} />
    </section>
  );
}
