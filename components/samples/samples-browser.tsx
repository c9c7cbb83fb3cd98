"use client";

import { useCallback, useMemo, useRef, useState, useTransition } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import Link from "next/link";
import type { RowSelectionState } from "@tanstack/react-table";
import type { SampleCount } from "@/lib/samples/count-samples";
import { sampleQuerySchema, type SampleFilters, type SampleQuery, type SampleSort } from "@/lib/samples/sample-query";
import { sampleQueryToSearchParams } from "@/lib/samples/sample-search-params";
import type { SampleRow } from "@/lib/samples/sample-row";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { readExtras, viewHref, type BrowserView } from "@/components/samples/browser-view";
import { BulkRelabelPanel } from "@/components/samples/bulk-relabel-panel";
import { ColumnPicker } from "@/components/samples/column-picker";
import { FilterChips, filterChips } from "@/components/samples/filter-chips";
import { SampleSearch } from "@/components/samples/sample-search";
import { SampleDrawer } from "@/components/samples/sample-drawer";
import { SampleFiltersForm } from "@/components/samples/sample-filters-form";
import { SamplesPager } from "@/components/samples/samples-pager";
import { SamplesTable } from "@/components/samples/samples-table";
import { useClientParams } from "@/components/samples/use-client-params";
import { useRowKeys } from "@/components/samples/use-row-keys";
import { MapLink } from "@/components/map/map-link";

export interface SamplesBrowserProps {
  query: SampleQuery;
  rows: SampleRow[];
  nextCursor: string | null;
  count: SampleCount;
  taxonomy: Taxonomy;
  runs: { id: string; name: string }[];
}

/**
 * The samples table. Filters, sort and page change the URL and the server renders the page for it;
 * the drawer's `sample` and the hidden columns change the URL through the history API only, so
 * opening a sample or hiding a column never re-queries the table.
 */
export function SamplesBrowser({ query, rows, nextCursor, count, taxonomy, runs }: SamplesBrowserProps) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const searchText = search.toString();
  const [client, setClient] = useClientParams(pathname);
  const prev = useMemo(() => readExtras(new URLSearchParams(searchText)).prev, [searchText]);
  const extras = { prev, sample: client.sample, preset: client.preset, hidden: client.hidden };
  const [filtersOpen, setFiltersOpen] = useState(false);
  const view: BrowserView = { query, ...extras };
  const [pending, startTransition] = useTransition();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const pageKey = JSON.stringify(query);
  const [focus, setFocus] = useState({ pageKey, index: -1 });
  const focused = focus.pageKey === pageKey ? focus.index : -1;

  // While a navigation is pending, `query` is still the page on screen: a second change (rows per page
  // right after a sort) built on it would drop the first, so changes build on the view last asked for.
  const intended = useRef<BrowserView | null>(null);
  const baseView = (): BrowserView => (pending && intended.current ? intended.current : view);
  const navigate = (next: BrowserView) => {
    intended.current = next;
    startTransition(() => router.push(viewHref(next), { scroll: false }));
  };
  const changeQuery = (changes: Partial<SampleQuery>) => {
    const base = baseView();
    navigate({ ...base, query: { ...base.query, ...changes, after: undefined }, prev: [] });
  };
  const setSampleParam = useCallback(
    (id: number | null, mode: "push" | "replace") => setClient({ ...client, sample: id }, mode),
    [client, setClient],
  );
  const rowIndex = useCallback((id: number) => rows.findIndex((row) => row.id === id), [rows]);
  const hrefOf = useCallback(
    (id: number) => {
      const params = new URLSearchParams(searchText);
      params.set("sample", String(id));
      return `${pathname}?${params}`;
    },
    [pathname, searchText],
  );
  const openSample = useCallback(
    (id: number) => {
      setFocus({ pageKey, index: rowIndex(id) });
      setSampleParam(id, "push");
    },
    [pageKey, rowIndex, setSampleParam],
  );
  const closeSample = useCallback(() => {
    if (extras.sample !== null) setSampleParam(null, "push");
  }, [extras.sample, setSampleParam]);
  const moveFocus = useCallback(
    (index: number) => {
      setFocus({ pageKey, index });
      // With the drawer open it follows the focused row, replacing rather than stacking history entries.
      const row = rows[index];
      if (extras.sample !== null && row) setSampleParam(row.id, "replace");
    },
    [pageKey, rows, extras.sample, setSampleParam],
  );
  const openFocused = useCallback(
    (index: number) => {
      const row = rows[index];
      if (row) openSample(row.id);
    },
    [rows, openSample],
  );
  useRowKeys({ count: rows.length, focused, onFocus: moveFocus, onOpen: openFocused, onClose: closeSample });

  const runNames = useMemo(() => Object.fromEntries(runs.map((run) => [run.id, run.name])), [runs]);
  const selectedIds = Object.keys(selection)
    .filter((id) => selection[id])
    .map(Number);
  const refresh = useCallback(() => startTransition(() => router.refresh()), [router]);
  const chips = filterChips(query.filters, runNames);
  const filterSearch = sampleQueryToSearchParams(sampleQuerySchema.parse({ filters: query.filters }));

  return (
    <div className="samples-browser">
      <div className="filter-bar">
        <SampleSearch
          key={query.filters.text ?? ""}
          text={query.filters.text ?? ""}
          onSearch={(text) => changeQuery({ filters: { ...query.filters, text } })}
        />
        <button
          type="button"
          className="secondary filters-toggle"
          aria-expanded={filtersOpen}
          aria-controls="sample-filters"
          onClick={() => setFiltersOpen(!filtersOpen)}
        >
          Filters{chips.length > 0 ? ` (${chips.length})` : ""}
        </button>
        <FilterChips
          chips={chips}
          onRemove={(filters) => changeQuery({ filters })}
          onClear={() => changeQuery({ filters: { labelSource: "effective" } })}
        />
      </div>
      {filtersOpen ? (
        <SampleFiltersForm
          key={JSON.stringify(query.filters)}
          filters={query.filters}
          taxonomy={taxonomy}
          runs={runs}
          onApply={(filters: SampleFilters) => {
            setFiltersOpen(false);
            changeQuery({ filters });
          }}
          onClose={() => setFiltersOpen(false)}
          showSearch={false}
        />
      ) : null}
      <div className="table-toolbar">
        <span role="status" aria-live="polite" data-testid="match-count">
          {count.exact ? "" : "about "}
          {count.count.toLocaleString("en")} {count.count === 1 ? "sample matches" : "samples match"}
          {pending ? " · loading…" : ""}
        </span>
        <span className="muted small toolbar-hint">
          {selectedIds.length > 0 ? `${selectedIds.length} selected` : "j/k move · Enter opens · Esc closes"}
        </span>
        <Link href={`/samples/focus${filterSearch.size > 0 ? `?${filterSearch}` : ""}`}>Label these</Link>
        <MapLink search={filterSearch}>Show on map</MapLink>
        <ColumnPicker
          preset={extras.preset}
          hidden={extras.hidden}
          onChange={(columns) => setClient({ ...client, preset: columns.preset, hidden: columns.hidden }, "replace")}
        />
      </div>
      <SamplesTable
        rows={rows}
        sort={query.sort}
        hidden={extras.hidden}
        selection={selection}
        onSelectionChange={setSelection}
        onSortChange={(sort: SampleSort) => changeQuery({ sort })}
        focused={focused}
        openId={extras.sample}
        runNames={runNames}
        hrefOf={hrefOf}
        onOpen={openSample}
      />
      <SamplesPager
        page={extras.prev.length + 1}
        hasPrevious={extras.prev.length > 0}
        hasNext={nextCursor !== null}
        limit={query.limit}
        onPrevious={() => {
          const prev = extras.prev.slice(0, -1);
          const after = extras.prev.at(-1);
          navigate({ ...view, prev, query: { ...query, after: after === "" ? undefined : after } });
        }}
        onNext={() =>
          nextCursor && navigate({ ...view, prev: [...extras.prev, query.after ?? ""], query: { ...query, after: nextCursor } })
        }
        onLimit={(limit) => changeQuery({ limit })}
      />
      <BulkRelabelPanel
        key={selectedIds.length === 0 ? "filter" : "selected"}
        selectedIds={selectedIds}
        filters={query.filters}
        taxonomy={taxonomy}
        onApplied={refresh}
      />
      {extras.sample !== null ? (
        <SampleDrawer sampleId={extras.sample} taxonomy={taxonomy} onClose={closeSample} onLabelsChanged={refresh} />
      ) : null}
    </div>
  );
}
