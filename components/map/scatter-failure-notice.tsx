"use client";

import Link from "next/link";
import { SCATTER_FAILURE_TEXT, type ScatterFailure } from "@/components/map/scatter-health";

/** Stands where the canvas would be when the scatter cannot draw: what happened and what to do. */
export function ScatterFailureNotice({ failure, detail }: { failure: ScatterFailure; detail?: string }) {
  const text = SCATTER_FAILURE_TEXT[failure];
  return (
    <div className="map-failure" role="alert" data-testid="map-failure">
      <strong>{text.title}</strong>
      <p>{text.advice}</p>
      <div className="map-row">
        <button type="button" onClick={() => window.location.reload()}>
          Reload the map
        </button>
        <Link href="/samples">Open the samples table</Link>
      </div>
      {detail ? <p className="muted small">Browser message: {detail}</p> : null}
    </div>
  );
}
