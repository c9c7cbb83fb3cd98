"use client";

import { useEffect, useState } from "react";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { sendJson } from "@/components/samples/send-json";

interface Neighbour {
  instructionId: number;
  similarity: number;
  instruction: string;
  primaryId?: number | null;
  secondaryId?: number | null;
}

interface NeighbourAnswer {
  space?: { embedder?: string };
  neighbours?: Neighbour[];
}

const K = 10;

/** The open sample's nearest neighbours by cosine similarity in the embedding space (GET /api/neighbours). */
export function NeighboursPanel({
  instructionId,
  taxonomy,
  onOpen,
}: {
  instructionId: number;
  taxonomy: Taxonomy;
  onOpen: (id: number) => void;
}) {
  const nameOf = (id: number | null | undefined) =>
    id == null ? "None" : (taxonomy.departments.find((d) => d.id === id)?.name ?? `#${id}`);
  const [answer, setAnswer] = useState<{ id: number; value: NeighbourAnswer | null; error: string | null } | null>(null);
  useEffect(() => {
    let current = true;
    void sendJson<NeighbourAnswer>(`/api/neighbours?instructionId=${instructionId}&k=${K}`, "GET").then((result) => {
      if (current) setAnswer({ id: instructionId, value: result.ok ? result.value : null, error: result.ok ? null : result.error });
    });
    return () => {
      current = false;
    };
  }, [instructionId]);
  const shown = answer?.id === instructionId ? answer : null;
  return (
    <section className="panel map-neighbours" aria-label="Nearest neighbours">
      <h3>
        Nearest neighbours of sample {instructionId}
        {shown?.value?.space?.embedder ? <span className="muted small"> · {shown.value.space.embedder}</span> : null}
      </h3>
      {shown === null ? <p className="muted">Loading…</p> : null}
      {shown?.error ? (
        <p className="status-bad" role="alert">
          {shown.error}
        </p>
      ) : null}
      {shown?.value ? (
        <ol className="map-results">
          {(shown.value.neighbours ?? []).map((neighbour) => (
            <li key={neighbour.instructionId}>
              <span className="pill">{neighbour.similarity.toFixed(3)}</span>{" "}
              <button type="button" className="map-link-button" onClick={() => onOpen(neighbour.instructionId)}>
                {neighbour.instructionId}
              </button>{" "}
              {neighbour.instruction}{" "}
              <span className="muted small">
                ({nameOf(neighbour.primaryId)} / {nameOf(neighbour.secondaryId)})
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
