"use client";

import { useState } from "react";
import type { FailedItem, FailurePage } from "@/lib/runs/run-detail";
import { formatCount, formatWhen } from "./run-status";
import { ProblemAlert } from "@/components/problem-alert";

const PRE_STYLE = {
  margin: 0,
  maxHeight: 220,
  overflow: "auto",
  whiteSpace: "pre-wrap",
  overflowWrap: "anywhere",
  fontSize: 12,
  background: "#fbfbfc",
  border: "1px solid var(--line)",
  borderRadius: 6,
  padding: "6px 8px",
} as const;

/**
 * The newest failures come with every poll; older pages are fetched on demand and merged by id, so a
 * failure arriving meanwhile neither duplicates nor hides a row.
 */
export function FailedItems({ runId, newest, total }: { runId: string; newest: FailurePage; total: number }) {
  const [older, setOlder] = useState<{ items: FailedItem[]; exhausted: boolean }>({ items: [], exhausted: false });
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const byId = new Map<number, FailedItem>();
  for (const item of [...newest.items, ...older.items]) byId.set(item.id, item);
  const items = [...byId.values()].sort((a, b) => b.id - a.id);
  const more = older.items.length > 0 ? !older.exhausted : newest.nextBefore !== null;

  async function loadOlder() {
    const oldest = items.at(-1)?.id;
    if (oldest === undefined) return;
    setLoading(true);
    setProblem(null);
    try {
      const response = await fetch(`/api/runs/${runId}/failures?before=${oldest}&limit=50`);
      const page = (await response.json()) as FailurePage | { error: string };
      if ("error" in page) setProblem(page.error);
      else setOlder((current) => ({ items: [...current.items, ...page.items], exhausted: page.nextBefore === null }));
    } catch {
      setProblem("the studio did not answer");
    } finally {
      setLoading(false);
    }
  }

  if (total === 0 && items.length === 0) return <p className="muted">No failed item.</p>;
  return (
    <>
      <p className="muted">
        Showing {formatCount(items.length)} of {formatCount(total)} failed texts, newest first. Raw outputs are shown as text, exactly as
        the model sent them.
      </p>
      <table className="grid" aria-label="Failed items">
        <thead>
          <tr>
            <th>Stage</th>
            <th>Text</th>
            <th>Reason</th>
            <th style={{ width: "50%" }}>Raw output</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>{item.stage}</td>
              <td>
                {item.externalId ?? `#${item.sourceTextId}`}
                <div className="muted" style={{ fontSize: 12 }}>
                  {formatWhen(item.createdAt)}
                </div>
              </td>
              <td className="snippet">{item.reason}</td>
              <td>
                {item.rawOutput === null ? (
                  <span className="muted">no output (the server did not answer)</span>
                ) : (
                  <>
                    <pre style={PRE_STYLE}>{item.rawOutput}</pre>
                    {item.rawOutputLength > item.rawOutput.length ? (
                      <div className="muted" style={{ fontSize: 12 }}>
                        first {formatCount(item.rawOutput.length)} of {formatCount(item.rawOutputLength)} characters
                      </div>
                    ) : null}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        {more ? (
          <button type="button" className="secondary" onClick={loadOlder} disabled={loading}>
            Load older failures
          </button>
        ) : null}
        <ProblemAlert problem={problem} />
      </div>
    </>
  );
}
