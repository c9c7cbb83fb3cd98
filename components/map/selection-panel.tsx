"use client";

import Link from "next/link";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { SelectionRelabel } from "@/components/map/selection-relabel";

/** A lasso's selection as the server stored it (any size), or on its way there. */
export type StoredSelection =
  { kind: "saving"; count: number } | { kind: "saved"; id: string; count: number } | { kind: "failed"; error: string; count: number };

const samples = (count: number) => `${count.toLocaleString("en")} ${count === 1 ? "sample" : "samples"}`;

/** What a lasso selected: open it in the samples table or the focus queue, or relabel it through the audited bulk path. */
export function SelectionPanel({
  selection,
  taxonomy,
  hiddenNote,
  onApplied,
  onClear,
}: {
  selection: StoredSelection;
  taxonomy: Taxonomy;
  hiddenNote: string | null;
  onApplied: () => void;
  onClear: () => void;
}) {
  return (
    <section className="panel map-selection" aria-label="Selection">
      <div className="map-row">
        <strong data-testid="map-selection-count">{samples(selection.count)} selected</strong>
        {selection.kind === "saving" ? <span className="muted">storing the selection…</span> : null}
        {selection.kind === "saved" ? (
          <>
            <Link href={`/samples?selection=${selection.id}`}>Open in samples table</Link>
            <Link href={`/samples/focus?selection=${selection.id}`}>Label these</Link>
          </>
        ) : null}
        <button type="button" className="secondary small-button" onClick={onClear}>
          Clear selection
        </button>
      </div>
      {selection.kind === "failed" ? (
        <p className="status-bad" role="alert">
          The selection could not be stored: {selection.error}
        </p>
      ) : null}
      {hiddenNote ? <p className="muted small">Note: {hiddenNote}.</p> : null}
      {selection.kind === "saved" ? (
        <SelectionRelabel key={selection.id} selectionId={selection.id} taxonomy={taxonomy} onApplied={onApplied} />
      ) : null}
    </section>
  );
}
