"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";

/** Exports server-side (once; a matching export is reused), then shows the files the page renders. */
export function ExportButton({ versionId, exported }: { versionId: string; exported: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function exportVersion() {
    setBusy(true);
    setProblem(null);
    const answer = await sendJson(`/api/datasets/${versionId}/export`, "POST");
    setBusy(false);
    if (!answer.ok) setProblem(answer.error);
    else router.refresh();
  }

  return (
    <div className="review-actions">
      <button type="button" onClick={exportVersion} disabled={busy || exported}>
        {busy ? "Exporting…" : exported ? "Exported" : "Export"}
      </button>
      {/* Only approved versions get this component, and only they can be trained. */}
      <Link href={`/training?versionId=${versionId}`} data-testid="train-version">
        Train this version →
      </Link>
      <ProblemAlert problem={problem} />
    </div>
  );
}
