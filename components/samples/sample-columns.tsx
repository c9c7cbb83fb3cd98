import { createColumnHelper, columnVisibilityFeature, rowSelectionFeature, rowSortingFeature, tableFeatures } from "@tanstack/react-table";
import type { SampleRow } from "@/lib/samples/sample-row";
import { COLUMN_NAMES } from "@/components/samples/column-names";
import { DepartmentCell } from "@/components/samples/department-cell";
import { STATUS_NAMES, formatScore } from "@/components/samples/sample-format";

export const sampleTableFeatures = tableFeatures({ rowSortingFeature, rowSelectionFeature, columnVisibilityFeature });

const helper = createColumnHelper<typeof sampleTableFeatures, SampleRow>();

export interface ColumnContext {
  runNames: Record<string, string>;
  hrefOf: (id: number) => string;
  onOpen: (id: number) => void;
}

// Scores read best from the top; the server sorts, these flags only choose the first click's direction.
const score = { sortDescFirst: true, enableSorting: true } as const;

export function sampleColumns({ runNames, hrefOf, onOpen }: ColumnContext) {
  return helper.columns([
    helper.display({
      id: "select",
      enableHiding: false,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all rows on this page"
          checked={table.getIsAllPageRowsSelected()}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select sample ${row.original.id}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    }),
    helper.accessor("instruction", {
      id: "instruction",
      header: COLUMN_NAMES.instruction,
      enableSorting: false,
      cell: ({ row }) => (
        <a
          href={hrefOf(row.original.id)}
          className="sample-open clamp"
          title={row.original.instruction.slice(0, 600)}
          onClick={(event) => {
            event.preventDefault();
            onOpen(row.original.id);
          }}
        >
          {row.original.instruction}
        </a>
      ),
    }),
    helper.accessor("sourceSnippet", {
      id: "snippet",
      header: COLUMN_NAMES.snippet,
      enableSorting: false,
      cell: (info) => (
        <span className="muted clamp" title={info.getValue()}>
          {info.getValue()}
        </span>
      ),
    }),
    helper.accessor("quality", { id: "quality", header: COLUMN_NAMES.quality, ...score, cell: (info) => formatScore(info.getValue()) }),
    helper.accessor("difficulty", {
      id: "difficulty",
      header: COLUMN_NAMES.difficulty,
      ...score,
      cell: (info) => formatScore(info.getValue()),
    }),
    helper.accessor("relevance", {
      id: "relevance",
      header: COLUMN_NAMES.relevance,
      ...score,
      cell: (info) => formatScore(info.getValue()),
    }),
    helper.accessor("mentionsDetails", {
      id: "details",
      header: COLUMN_NAMES.details,
      enableSorting: false,
      cell: (info) => (info.getValue() === null ? "–" : info.getValue() ? "yes" : "no"),
    }),
    helper.accessor("tier", { id: "tier", header: COLUMN_NAMES.tier, enableSorting: false, cell: (info) => info.getValue() ?? "–" }),
    helper.accessor("status", {
      id: "status",
      header: COLUMN_NAMES.status,
      enableSorting: false,
      cell: ({ row }) => (
        <span className={row.original.status === "kept" ? "status-ok" : "muted"}>
          {STATUS_NAMES[row.original.status]}
          {row.original.failedStage ? ` at ${row.original.failedStage}` : ""}
        </span>
      ),
    }),
    helper.display({
      id: "primary",
      header: COLUMN_NAMES.primary,
      enableSorting: false,
      cell: ({ row }) => <DepartmentCell sample={row.original} level="primary" />,
    }),
    helper.display({
      id: "secondary",
      header: COLUMN_NAMES.secondary,
      enableSorting: false,
      cell: ({ row }) => <DepartmentCell sample={row.original} level="secondary" />,
    }),
    helper.accessor("rewardScore", {
      id: "reward",
      header: COLUMN_NAMES.reward,
      ...score,
      cell: (info) => formatScore(info.getValue(), 2),
    }),
    helper.accessor("runId", {
      id: "run",
      header: COLUMN_NAMES.run,
      enableSorting: false,
      cell: (info) => runNames[info.getValue()] ?? info.getValue().slice(0, 8),
    }),
  ]);
}
