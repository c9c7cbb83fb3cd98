"use client";

import { useState } from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { RoleReason, useRoleRefusal } from "@/components/role-context";

type Action = "pause" | "resume" | "cancel";

const ALLOWED: Record<Action, readonly string[]> = {
  pause: ["queued", "running"],
  resume: ["paused"],
  cancel: ["queued", "running", "paused"],
};

/** Pause, resume and cancel; the server has the last word and answers 409 with its reason. */
export function RunControls({ runId, status, onChanged }: { runId: string; status: string; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const refusal = useRoleRefusal("curator", "Pausing, resuming or cancelling a run");
  const [problem, setProblem] = useState<string | null>(null);

  async function act(action: Action) {
    if (action === "cancel" && !window.confirm("Cancel this run? Work already done is kept; pending texts are not processed.")) return;
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch(`/api/runs/${runId}/${action}`, { method: "POST" });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        setProblem(body.error ?? `the server answered ${response.status}`);
      }
    } catch {
      setProblem("the studio did not answer");
    } finally {
      setBusy(false);
      onChanged();
    }
  }

  return (
    <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
      <button
        type="button"
        className="secondary"
        onClick={() => act("pause")}
        disabled={busy || refusal !== null || !ALLOWED.pause.includes(status)}
      >
        Pause
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => act("resume")}
        disabled={busy || refusal !== null || !ALLOWED.resume.includes(status)}
      >
        Resume
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => act("cancel")}
        disabled={busy || refusal !== null || !ALLOWED.cancel.includes(status)}
      >
        Cancel
      </button>
      <RoleReason refusal={refusal} />
      <ProblemAlert problem={problem} />
    </div>
  );
}
