import type { ReactNode } from "react";

/** A section not built yet: says plainly what it will hold, and shows nothing pretend. */
export function PlannedSection({ title, summary, children }: { title: string; summary: string; children: ReactNode }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="lead">{summary}</p>
      <div className="panel">
        <p className="muted" style={{ marginTop: 0 }}>
          Not built yet. This page will hold:
        </p>
        <ul className="plan">{children}</ul>
      </div>
    </>
  );
}
