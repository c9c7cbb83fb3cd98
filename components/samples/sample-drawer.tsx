"use client";

import { useCallback, useEffect, useState } from "react";
import type { SampleDetail } from "@/lib/samples/sample-detail";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { InstructionsSection } from "@/components/samples/instructions-section";
import { LabelsSection } from "@/components/samples/labels-section";
import { LineageSection } from "@/components/samples/lineage-section";
import { MarkdownText } from "@/components/samples/markdown-text";
import { ResponsesSection } from "@/components/samples/responses-section";
import { sendJson } from "@/components/samples/send-json";

type Loaded = { id: number; detail: SampleDetail } | { id: number; error: string };

/** The side panel for one sample (URL param `sample`); read fresh from the server on open and after each change. */
export function SampleDrawer({
  sampleId,
  taxonomy,
  onClose,
  onLabelsChanged,
}: {
  sampleId: number;
  taxonomy: Taxonomy;
  onClose: () => void;
  onLabelsChanged: () => void;
}) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    void sendJson<SampleDetail>(`/api/samples/${sampleId}`, "GET").then((answer) => {
      if (!current) return;
      setLoaded(answer.ok ? { id: sampleId, detail: answer.value } : { id: sampleId, error: answer.error });
    });
    return () => {
      current = false;
    };
  }, [sampleId, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const changed = useCallback(() => {
    reload();
    onLabelsChanged();
  }, [reload, onLabelsChanged]);

  const shown = loaded && loaded.id === sampleId ? loaded : null;
  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-label={`Sample ${sampleId}`}>
      <div className="drawer-head">
        <h2>Sample {sampleId}</h2>
        {shown && "detail" in shown ? (
          <span className="muted">
            {shown.detail.run.name}
            {shown.detail.run.simulated ? <span className="pill">simulated backend</span> : null}
          </span>
        ) : null}
        <button type="button" className="secondary" onClick={onClose} aria-label="Close sample">
          Close
        </button>
      </div>
      {shown === null ? <p className="muted">Loading…</p> : null}
      {shown && "error" in shown ? (
        <p className="status-bad" role="alert">
          {shown.error}
        </p>
      ) : null}
      {shown && "detail" in shown ? (
        <div className="drawer-body">
          <section aria-label="Source text">
            <h3>
              Source text{" "}
              <span className="muted small">
                {shown.detail.sourceText.corpus}
                {shown.detail.sourceText.externalId ? ` · ${shown.detail.sourceText.externalId}` : ""}
              </span>
            </h3>
            <div className="source-text">
              <MarkdownText>{shown.detail.sourceText.text}</MarkdownText>
            </div>
          </section>
          <InstructionsSection instructions={shown.detail.instructions} selection={shown.detail.selection} currentId={sampleId} />
          <LabelsSection detail={shown.detail} taxonomy={taxonomy} onChanged={changed} onReload={reload} />
          <ResponsesSection detail={shown.detail} />
          <LineageSection detail={shown.detail} />
        </div>
      ) : null}
    </aside>
  );
}
