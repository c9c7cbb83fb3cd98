"use client";

import type { FocusItem } from "@/lib/labels/focus-queue";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import type { NeighbourDepartments } from "./use-neighbour-departments";

function neighbourSummary(neighbours: NeighbourDepartments & { ok: true }, taxonomy: Taxonomy): [string, number][] {
  const nameOf = (id: number | null) => (id === null ? "None" : (taxonomy.departments.find((d) => d.id === id)?.name ?? `#${id}`));
  const counts = new Map<string, number>();
  for (const neighbour of neighbours.departments) {
    const label = neighbour.secondaryId === null ? nameOf(neighbour.primaryId) : nameOf(neighbour.secondaryId);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function summaryText(counts: [string, number][], of: number): string {
  const top = counts.slice(0, 3).map(([label, count]) => `${count} × ${label}`);
  const rest = counts.slice(3).reduce((sum, [, count]) => sum + count, 0);
  return `${top.join(", ")}${rest > 0 ? `, ${rest} elsewhere` : ""} (of ${of})`;
}

/** What a curator reads before deciding: the instruction, the chosen answer, its source, and the labels. */
interface FocusSampleProps {
  item: FocusItem;
  neighbours: NeighbourDepartments | undefined;
  taxonomy: Taxonomy;
}

export function FocusSample({ item, neighbours, taxonomy }: FocusSampleProps) {
  const { sample } = item;
  return (
    <article
      className="focus-sample"
      data-testid="focus-sample"
      data-sample-id={sample.id}
      data-label-version={sample.labelVersion}
      aria-label={`Sample ${sample.id}`}
    >
      <h2 className="focus-instruction">{sample.instruction}</h2>
      <p className="muted small">
        Sample {sample.id} · tier {sample.tier ?? "—"} · quality {sample.quality ?? "—"} · difficulty {sample.difficulty ?? "—"} · reward{" "}
        {sample.rewardScore === null ? "—" : sample.rewardScore.toFixed(2)}
      </p>
      <section className="focus-labels" aria-label="Labels">
        <p>
          <span className="muted small">Model label</span>{" "}
          <strong data-testid="focus-model-label">
            {sample.model.primary ?? "no department"} / {sample.model.secondary ?? "None"}
          </strong>{" "}
          <span className="pill" title="exp(mean token logprob) of the less sure of the two labels">
            {item.confidence === null ? "confidence unknown" : `confidence ${item.confidence.toFixed(2)}`}
          </span>
        </p>
        {sample.curated ? (
          <p>
            <span className="muted small">Curated label in force</span>{" "}
            <strong data-testid="focus-curated-label">
              {sample.curated.primary} / {sample.curated.secondary ?? "None"}
            </strong>
          </p>
        ) : null}
        {item.reasons.length > 0 ? <p className="muted small">In the review queue because: {item.reasons.join("; ")}</p> : null}
        <p className="small" data-testid="focus-neighbours">
          <span className="muted">Nearest neighbours on the map: </span>
          {neighbours === undefined
            ? "loading…"
            : neighbours.ok
              ? neighbours.departments.length === 0
                ? "none found"
                : summaryText(neighbourSummary(neighbours, taxonomy), neighbours.departments.length)
              : neighbours.reason}
        </p>
      </section>
      <section aria-label="Chosen answer">
        <h3>Chosen answer</h3>
        {/* Focusable, so a long answer scrolls from the keyboard too; the decision keys still work from here. */}
        <div className="focus-text" tabIndex={0}>
          {item.chosenAnswer ?? "No chosen answer."}
        </div>
      </section>
      <section aria-label="Source text">
        <h3>Source text</h3>
        <div className="focus-text focus-source" tabIndex={0}>
          {item.sourceText}
          {item.sourceTextTruncated ? <span className="muted"> … (cut here; the whole text is in the sample drawer)</span> : null}
        </div>
      </section>
    </article>
  );
}
