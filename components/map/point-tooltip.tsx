"use client";

import { useEffect, useState } from "react";
import type { SampleRow } from "@/lib/samples/sample-row";
import { sendJson } from "@/components/samples/send-json";
import { formatDepartment } from "@/components/samples/sample-format";

// Texts are not in the point payload (it would grow tenfold): the hovered sample's row is fetched
// on demand, once per id per page view.
const rows = new Map<number, Promise<SampleRow | null>>();

function sampleRow(id: number): Promise<SampleRow | null> {
  let row = rows.get(id);
  if (!row) {
    row = sendJson<{ rows: SampleRow[] }>(`/api/samples?ids=${id}&limit=1`, "GET").then((answer) =>
      answer.ok ? (answer.value.rows[0] ?? null) : null,
    );
    rows.set(id, row);
  }
  return row;
}

/** The hovered point's instruction, beside the cursor. */
export function PointTooltip({ instructionId, at }: { instructionId: number; at: { x: number; y: number } }) {
  const [row, setRow] = useState<{ id: number; row: SampleRow | null } | null>(null);
  useEffect(() => {
    let current = true;
    void sampleRow(instructionId).then((loaded) => {
      if (current) setRow({ id: instructionId, row: loaded });
    });
    return () => {
      current = false;
    };
  }, [instructionId]);
  const shown = row?.id === instructionId ? row.row : undefined;
  return (
    <div className="map-tooltip" role="tooltip" data-testid="map-tooltip" style={{ left: at.x + 14, top: at.y + 14 }}>
      <div className="small muted">Sample {instructionId}</div>
      {shown === undefined ? <div className="muted">Loading…</div> : null}
      {shown === null ? <div className="muted">not found</div> : null}
      {shown ? (
        <>
          <div className="map-tooltip-text">{shown.instruction}</div>
          <div className="small muted">
            {formatDepartment(shown.label.primary)} / {formatDepartment(shown.label.secondary)}
            {shown.curated ? " (curated)" : ""} · {shown.tier ?? shown.status} · quality {shown.quality ?? "–"}
          </div>
        </>
      ) : null}
    </div>
  );
}
