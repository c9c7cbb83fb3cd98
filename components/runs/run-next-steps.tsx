"use client";

import Link from "next/link";
import { RoleReason, useRoleRefusal } from "@/components/role-context";

/** Where a run leads: its samples, its charts, labelling them, and freezing a dataset version from it. */
export function RunNextSteps({ runId, kept, finished }: { runId: string; kept: number; finished: boolean }) {
  const refusal = useRoleRefusal("curator", "Creating a dataset version");
  const run = encodeURIComponent(runId);
  return (
    <nav className="panel run-next-steps" aria-label="Next steps">
      <strong>Next:</strong> <Link href={`/samples?run=${run}`}>Its samples</Link> ·{" "}
      <Link href={`/analytics?by=run&run=${run}`}>Its analytics</Link> ·{" "}
      <Link href={`/samples/focus?run=${run}`}>Label its samples in focus mode</Link> ·{" "}
      {refusal === null && kept > 0 ? (
        <Link href={`/datasets?run=${run}#new-version`} data-testid="run-create-version">
          Create a dataset version from this run
        </Link>
      ) : (
        <span className="muted">
          Create a dataset version from this run{" "}
          {refusal ? (
            <RoleReason refusal={refusal} />
          ) : (
            <span className="small">(once it has kept samples{finished ? "" : "; it is still running"})</span>
          )}
        </span>
      )}
    </nav>
  );
}
