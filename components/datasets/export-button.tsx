"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ShortSplit } from "@/lib/export";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";
import { ShortSplitWarnings } from "@/components/datasets/short-split-warnings";
import { ShortSplitAcknowledgement } from "@/components/datasets/short-split-acknowledgement";

/**
 * Exports server-side (once; a matching export is reused), then shows the files the page renders.
 * Empty or short splits are listed first and Export waits for the box that acknowledges them: the
 * server refuses the export without that acknowledgement, and records it in the card and the audit.
 * An export made without the question (by the training hand-off before it asked) asks it again:
 * exporting with the box ticked records the acknowledgement in that export's card and manifest.
 */
export function ExportButton({
  versionId,
  exported,
  shortSplits,
  unacknowledged,
}: {
  versionId: string;
  exported: boolean;
  /** The splits the export would write, or the existing export wrote, empty or short. */
  shortSplits: readonly ShortSplit[];
  /** Whether those splits still wait for someone's acknowledgement (always, before the first export). */
  unacknowledged: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const needsAcknowledgement = unacknowledged && shortSplits.length > 0;
  const done = exported && !needsAcknowledgement;

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
      {needsAcknowledgement && exported ? (
        <p className="muted small" data-testid="export-unacknowledged">
          This version&apos;s export was made without this question (by the training hand-off before it asked, or a library call): nobody
          has acknowledged these splits yet. Exporting with the box ticked records the acknowledgement in the export&apos;s card and
          manifest.
        </p>
      ) : null}
      <div className="review-actions">
        {needsAcknowledgement ? <ShortSplitAcknowledgement acknowledged={acknowledged} onChange={setAcknowledged} /> : null}
        <button type="button" onClick={exportVersion} disabled={busy || done || (needsAcknowledgement && !acknowledged)}>
          {busy ? "Exporting…" : done ? "Exported" : "Export"}
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
