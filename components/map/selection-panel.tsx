"use client";

import Link from "next/link";
import { MAX_ID_FILTER, type SampleFilters } from "@/lib/samples/sample-query";
import { sampleQueryToSearchParams } from "@/lib/samples/sample-search-params";
import { sampleQuerySchema } from "@/lib/samples/sample-query";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { BulkRelabelPanel } from "@/components/samples/bulk-relabel-panel";

function tableHref(ids: number[]): string {
  const query = sampleQuerySchema.parse({ filters: { ids: [...ids].sort((a, b) => a - b) }, limit: 100 });
  return `/samples?${sampleQueryToSearchParams(query)}`;
}

/** What a lasso selected: open it in the samples table, or relabel it through the audited bulk path. */
export function SelectionPanel({ ids, filters, taxonomy, onApplied, onClear }: { ids: number[]; filters: SampleFilters; taxonomy: Taxonomy; onApplied: () => void; onClear: () => void }) {
  return (
    <section className="panel map-selection" aria-label="Selection">
      <div className="map-row">
        <strong data-testid="map-selection-count">
          {ids.length.toLocaleString("en")} {ids.length === 1 ? "sample" : "samples"} selected
        </strong>
        {ids.length <= MAX_ID_FILTER ? (
          <Link href={tableHref(ids)}>Open in samples table</Link>
        ) : (
          <span className="muted">select at most {MAX_ID_FILTER.toLocaleString("en")} to open them in the table</span>
        )}
        <button type="button" className="secondary small-button" onClick={onClear}>
          Clear selection
        </button>
      </div>
      <BulkRelabelPanel key={ids.join(",")} selectedIds={ids} filters={filters} taxonomy={taxonomy} onApplied={onApplied} />
    </section>
  );
}
