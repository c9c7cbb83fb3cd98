"use client";

import type { LegendEntry } from "@/components/map/point-colouring";

/** The colour key, counted inside the filters; each entry greys its points out or back in. */
export function MapLegend({
  title,
  entries,
  hidden,
  onToggle,
  onShowAll,
}: {
  title: string;
  entries: LegendEntry[];
  hidden: ReadonlySet<number>;
  onToggle: (index: number) => void;
  onShowAll: () => void;
}) {
  return (
    <section className="map-legend" aria-label="Legend">
      <h3>{title}</h3>
      <ul>
        {entries.map((entry, index) => (
          <li key={`${entry.label}-${index}`}>
            <label className="check">
              <input type="checkbox" checked={!hidden.has(index)} onChange={() => onToggle(index)} aria-label={`Show ${entry.label}`} />
              <span className="map-swatch" style={{ background: entry.colour }} aria-hidden="true" />
              <span className="map-legend-label">{entry.label}</span>
              <span
                className="muted small"
                title={`${entry.total.toLocaleString("en")} on the map, ${entry.count.toLocaleString("en")} inside the filters`}
              >
                {entry.count.toLocaleString("en")}
                {entry.total !== entry.count ? ` of ${entry.total.toLocaleString("en")}` : ""}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {hidden.size > 0 ? (
        <button type="button" className="secondary small-button" onClick={onShowAll}>
          Show all
        </button>
      ) : null}
    </section>
  );
}
