"use client";

import { useEffect, useMemo, useRef } from "react";
import { useTable, type RowSelectionState, type SortingState, type Updater } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { SORT_FIELDS, type SampleSort, type SortField } from "@/lib/samples/sample-query";
import type { SampleRow } from "@/lib/samples/sample-row";
import { sampleColumns, sampleTableFeatures, type ColumnContext } from "@/components/samples/sample-columns";

// Below this many rows every row is rendered; above it only the visible ones, so a 500-row page
// costs the DOM what a 30-row one does.
const VIRTUALIZE_FROM = 100;
const ROW_ESTIMATE_PX = 46;

function isSortField(value: string): value is SortField {
  return (SORT_FIELDS as readonly string[]).includes(value);
}

function resolve<T>(updater: Updater<T>, current: T): T {
  return typeof updater === "function" ? (updater as (old: T) => T)(current) : updater;
}

export interface SamplesTableProps extends ColumnContext {
  rows: SampleRow[];
  sort: SampleSort;
  hidden: string[];
  selection: RowSelectionState;
  onSelectionChange: (next: RowSelectionState) => void;
  onSortChange: (next: SampleSort) => void;
  focused: number;
  openId: number | null;
}

export function SamplesTable({
  rows,
  sort,
  hidden,
  selection,
  onSelectionChange,
  onSortChange,
  focused,
  openId,
  runNames,
  hrefOf,
  onOpen,
}: SamplesTableProps) {
  const columns = useMemo(() => sampleColumns({ runNames, hrefOf, onOpen }), [runNames, hrefOf, onOpen]);
  const sorting: SortingState = useMemo(() => (sort.field === "id" ? [] : [{ id: sort.field, desc: sort.direction === "desc" }]), [sort]);
  const columnVisibility = useMemo(() => Object.fromEntries(hidden.map((id) => [id, false])), [hidden]);
  const table = useTable({
    features: sampleTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => String(row.id),
    manualSorting: true,
    enableMultiSort: false,
    state: { sorting, columnVisibility, rowSelection: selection },
    onSortingChange: (updater) => {
      const first = resolve(updater, sorting)[0];
      onSortChange(
        first && isSortField(first.id) ? { field: first.id, direction: first.desc ? "desc" : "asc" } : { field: "id", direction: "asc" },
      );
    },
    onRowSelectionChange: (updater) => onSelectionChange(resolve(updater, selection)),
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rows.length >= VIRTUALIZE_FROM;
  // The studio does not build with the React Compiler, so its notice that it would skip this component
  // (TanStack Virtual returns fresh functions every render) does not apply; the table re-renders as it should.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 12,
    enabled: virtual,
  });

  useEffect(() => {
    if (focused < 0) return;
    if (virtual) virtualizer.scrollToIndex(focused, { align: "auto" });
    else scrollRef.current?.querySelector(`[data-index="${focused}"]`)?.scrollIntoView({ block: "nearest" });
  }, [focused, virtual, virtualizer]);

  const tableRows = table.getRowModel().rows;
  const items = virtual ? virtualizer.getVirtualItems() : null;
  const shown = items
    ? items.map((item) => ({ index: item.index, row: tableRows[item.index] }))
    : tableRows.map((row, index) => ({ index, row }));
  const paddingTop = items && items.length > 0 ? items[0]!.start : 0;
  const paddingBottom = items && items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const width = table.getVisibleLeafColumns().length;

  return (
    <div className="table-scroll" ref={scrollRef}>
      <table className="grid samples-grid" aria-label="Samples">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const direction = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    className={`col-${header.column.id}`}
                    aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="sort-button"
                        title="Sort by this column"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        {direction ? <span aria-hidden="true">{direction === "asc" ? " ▲" : " ▼"}</span> : null}
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={width} style={{ height: paddingTop, padding: 0, border: 0 }} />
            </tr>
          ) : null}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={width} className="empty">
                No sample matches these filters.
              </td>
            </tr>
          ) : null}
          {shown.map(({ index, row }) =>
            row ? (
              <tr
                key={row.id}
                data-index={index}
                ref={virtual ? virtualizer.measureElement : undefined}
                className={`${index === focused ? "row-focused" : ""}${row.original.id === openId ? " row-open" : ""}`}
                aria-current={row.original.id === openId ? "true" : undefined}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ) : null,
          )}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={width} style={{ height: paddingBottom, padding: 0, border: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
