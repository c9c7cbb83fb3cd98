import Link from "next/link";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { listBulkOperations, type BulkOperationView } from "@/lib/labels";
import { formatDepartment, formatWhen } from "@/components/samples/sample-format";
import { UndoBulkButton } from "@/components/samples/undo-bulk-button";

export const dynamic = "force-dynamic";

const PAGE = 50;
const Search = z.object({ before: z.iso.datetime().optional() });

function scopeOf(operation: BulkOperationView): string {
  const selection = operation.selection;
  if (selection !== null && typeof selection === "object") {
    if ("ids" in selection && Array.isArray(selection.ids)) return `${selection.ids.length} selected samples`;
    if ("filter" in selection) return "a filter";
    if ("merge" in selection) return "a department merge";
    if ("undoes" in selection) return "undo";
  }
  return "–";
}

export default async function BulkOperationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parsed = Search.safeParse(await searchParams);
  const before = parsed.success ? parsed.data.before : undefined;
  const operations = await listBulkOperations(await database(), { limit: PAGE, before });
  const last = operations.at(-1);
  return (
    <>
      <p className="muted">
        <Link href="/samples">Samples</Link> / Bulk operations
      </p>
      <h1>Bulk operations</h1>
      <p className="lead">
        Every bulk relabel, department merge and undo, newest first. Undoing an operation restores the labels it changed, as a new audited
        operation.
      </p>
      <table className="grid" aria-label="Bulk operations">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Kind</th>
            <th>Applied to</th>
            <th>To</th>
            <th className="num">Samples</th>
            <th>Reason</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {operations.length === 0 ? (
            <tr>
              <td colSpan={8} className="empty">
                No bulk operation yet.
              </td>
            </tr>
          ) : (
            operations.map((operation) => (
              <tr key={operation.id}>
                <td className="muted">{formatWhen(operation.createdAt)}</td>
                <td>{operation.actor}</td>
                <td>{operation.kind}</td>
                <td>{scopeOf(operation)}</td>
                <td>{operation.to ? `${formatDepartment(operation.to.primary)} / ${formatDepartment(operation.to.secondary)}` : "–"}</td>
                <td className="num">{operation.rowCount}</td>
                <td>{operation.reason}</td>
                <td>
                  {operation.undoneById ? (
                    <span className="muted">undone</span>
                  ) : operation.kind === "relabel" ? (
                    <UndoBulkButton operationId={operation.id} label={`the relabel of ${operation.rowCount} samples`} />
                  ) : null}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {operations.length === PAGE && last ? (
        <p className="pager">
          <Link href={`/samples/operations?before=${encodeURIComponent(last.createdAt)}`}>Older operations</Link>
        </p>
      ) : null}
    </>
  );
}
