"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ShortSplit } from "@/lib/export";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";
import { ShortSplitWarnings } from "@/components/datasets/short-split-warnings";

/**
 * Exports server-side (once; a matching export is reused), then shows the files the page renders.
 * Empty or short splits are listed first and Export waits for the box that acknowledges them: the
 * server refuses the export without that acknowledgement, and records it in the card and the audit.
 */
export function ExportButton({
  versionId,
  exported,
  shortSplits,
}: {
  versionId: string;
  exported: boolean;
  shortSplits: readonly ShortSplit[];
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const needsAcknowledgement = !exported && shortSplits.length > 0;

  async function exportVersion() {
    setBusy(true);
    setProblem(null);
    const answer = await sendJson(`/api/datasets/${versionId}/export`, "POST", {
      acknowledgeShortSplits: needsAcknowledgement && acknowledged,
    });
    setBusy(false);
    if (!answer.ok) setProblem(answer.error);
    else router.refresh();
  }

  return (
    <>
      {needsAcknowledgement ? <ShortSplitWarnings splits={shortSplits} when="export" /> : null}
      <div className="review-actions">
        {needsAcknowledgement ? (
          <label className="acknowledge">
            <input type="checkbox" checked={acknowledged} onChange={(event) => setAcknowledged(event.target.checked)} />I understand these
            splits are short or empty
          </label>
        ) : null}
        <button type="button" onClick={exportVersion} disabled={busy || exported || (needsAcknowledgement && !acknowledged)}>
          {busy ? "Exporting…" : exported ? "Exported" : "Export"}
        </button>
        {/* Only approved versions get this component, and only they can be trained. */}
        <Link href={`/training?versionId=${versionId}`} data-testid="train-version">
          Train this version →
        </Link>
        <ProblemAlert problem={problem} />
      </div>
    </>
  );
}
