"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import { sampleQuerySchema, type SampleFilters } from "@/lib/samples/sample-query";
import { parseSampleQuery, sampleQueryToSearchParams } from "@/lib/samples/sample-search-params";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { SampleDrawer } from "@/components/samples/sample-drawer";
import { SampleFiltersForm } from "@/components/samples/sample-filters-form";
import { MapLegend } from "@/components/map/map-legend";
import { NeighboursPanel } from "@/components/map/neighbours-panel";
import { COLOUR_BY, COLOUR_BY_KEYS, colourPoints, visiblePoints, type ColourBy } from "@/components/map/point-colouring";
import { PointScatter, type MouseMode } from "@/components/map/point-scatter";
import { PointTooltip } from "@/components/map/point-tooltip";
import { ScatterFailureNotice } from "@/components/map/scatter-failure-notice";
import { useMapPolicy } from "@/components/map/use-map-policy";
import { ProjectionPicker } from "@/components/map/projection-picker";
import type { ProjectionSummary } from "@/components/map/projection-summary";
import { SelectionPanel, type StoredSelection } from "@/components/map/selection-panel";
import { ProjectionFreshness } from "@/components/map/projection-freshness";
import { sendJson } from "@/components/samples/send-json";
import { TttRetrieval } from "@/components/map/ttt-retrieval";
import { useMapPoints } from "@/components/map/use-map-points";

// Points outside the filters (when shown) and outside the highlight search are drawn in this grey.
const DIMMED = "#e3e6ea";

function readFilters(params: URLSearchParams): { filters: SampleFilters; problem: string | null } {
  try {
    return { filters: parseSampleQuery(params).filters, problem: null };
  } catch {
    return { filters: sampleQuerySchema.parse({}).filters, problem: "the filters in this link could not be read; showing every sample" };
  }
}

function filterSearch(filters: SampleFilters): URLSearchParams {
  return sampleQueryToSearchParams(sampleQuerySchema.parse({ filters }));
}

const isColourBy = (value: string | null): value is ColourBy => value !== null && value in COLOUR_BY;

/**
 * The map page: the chosen projection's points under the same filters as /samples (same URL
 * params), coloured by a label or score, with hover, click-to-open, lasso → table or bulk relabel,
 * nearest neighbours and the TTT retrieval. State that others may share lives in the URL.
 */
export function MapStudio({ taxonomy, runs }: { taxonomy: Taxonomy; runs: { id: string; name: string }[] }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const searchText = search.toString();
  const params = useMemo(() => new URLSearchParams(searchText), [searchText]);
  const { filters, problem: filterProblem } = useMemo(() => readFilters(params), [params]);
  const projectionParam = params.get("projection");
  const colourParam = params.get("color");
  const colourBy: ColourBy = isColourBy(colourParam) ? colourParam : "primary";
  const highlight = params.get("highlight") ?? "";

  // A client-side navigation from another page keeps that page's stricter policy: reload as /map's own.
  const policy = useMapPolicy();
  // Counts lasso rounds, so an answer for a selection that was replaced or cleared is dropped.
  const lassoRound = useRef(0);
  const [projection, setProjection] = useState<ProjectionSummary | null>(null);
  const [generation, setGeneration] = useState(0);
  const [mode, setMode] = useState<MouseMode>("panZoom");
  const [hiddenByColour, setHiddenByColour] = useState<{ colourBy: ColourBy; hidden: Set<number> }>({ colourBy, hidden: new Set() });
  const [showOutside, setShowOutside] = useState(true);
  const [hover, setHover] = useState<{ index: number; at: { x: number; y: number } } | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [stored, setStored] = useState<StoredSelection | null>(null);
  const [followId, setFollowId] = useState<string | null>(null);
  const [openSample, setOpenSample] = useState<number | null>(null);
  const [highlightText, setHighlightText] = useState(highlight);
  // Legend toggles belong to one colouring; another colouring starts with everything shown.
  const hidden = useMemo(
    () => (hiddenByColour.colourBy === colourBy ? hiddenByColour.hidden : new Set<number>()),
    [hiddenByColour, colourBy],
  );

  // Everything on the map is fetched by the client, so its URL state changes through the history API
  // (which Next keeps useSearchParams in step with) instead of a server navigation; and never once the
  // curator has left the page, so a late answer (the projection list) cannot pull them back to the map.
  // A click on a link elsewhere starts a client-side navigation while the address still reads /map; a
  // URL update of ours in that moment (the projection list answering late) would cancel it and keep
  // the curator on the map, so the first such click ends the map's URL updates.
  const leaving = useRef(false);
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (anchor instanceof HTMLAnchorElement && new URL(anchor.href, window.location.href).pathname !== pathname) leaving.current = true;
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, [pathname]);
  const navigate = useCallback(
    (change: (next: URLSearchParams) => void) => {
      if (leaving.current || window.location.pathname !== pathname) return;
      const next = new URLSearchParams(window.location.search);
      change(next);
      window.history.replaceState(null, "", `${pathname}?${next}`);
    },
    [pathname],
  );

  const chooseProjection = useCallback(
    (chosen: ProjectionSummary | null) => {
      setProjection(chosen);
      if (chosen && chosen.id !== new URLSearchParams(window.location.search).get("projection")) {
        lassoRound.current++;
        setSelected([]);
        setStored(null);
        navigate((next) => next.set("projection", chosen.id));
      }
    },
    [navigate],
  );

  const pointsSearch = useMemo(() => {
    if (!projectionParam) return null;
    const query = filterSearch(filters);
    query.set("projection", projectionParam);
    if (highlight) query.set("highlight", highlight);
    return query.toString();
  }, [projectionParam, filters, highlight]);
  const state = useMapPoints(pointsSearch, generation);
  const points = state.kind === "ready" ? state.points : null;

  const colouring = useMemo(() => (points ? colourPoints(points, colourBy) : null), [points, colourBy]);
  const visibility = useMemo(
    () => (points && colouring ? visiblePoints(points, colouring, hidden, showOutside, highlight !== "") : null),
    [points, colouring, hidden, showOutside, highlight],
  );
  const display = useMemo(() => {
    if (!points || !colouring || !visibility) return null;
    const dim = colouring.legend.length;
    const category = new Uint16Array(colouring.category);
    for (let i = 0; i < points.count; i++) if (visibility.active[i] === 0) category[i] = dim;
    return { category, colours: [...colouring.legend.map((entry) => entry.colour), DIMMED] };
  }, [points, colouring, visibility]);

  const selectedIndexes = useMemo(() => {
    if (!points || selected.length === 0) return [];
    const wanted = new Set(selected);
    const indexes: number[] = [];
    for (let i = 0; i < points.count; i++) if (wanted.has(points.instructionId[i]!)) indexes.push(i);
    return indexes;
  }, [points, selected]);

  // The lasso selects, on this page, the coloured points inside it (for the highlight), and on the
  // server the stored points inside the same polygon under the same filters and legend (for any size).
  const onLasso = useCallback(
    (indexes: number[], polygon: [number, number][] | null) => {
      if (!points || !visibility || !colouring) return;
      const round = ++lassoRound.current;
      const local = indexes.filter((index) => visibility.active[index] === 1).map((index) => points.instructionId[index]!);
      setSelected(local);
      if (local.length === 0 || !polygon || !projectionParam) {
        setStored(null);
        return;
      }
      setStored({ kind: "saving", count: local.length });
      const hiddenCodes = [...hidden]
        .map((index) => colouring.legend[index]?.code)
        .filter((code): code is number => code !== null && code !== undefined);
      const body = {
        projection: projectionParam,
        polygon,
        filters,
        ...(colourBy !== "reward" && hiddenCodes.length > 0 ? { hidden: { by: colourBy, codes: hiddenCodes } } : {}),
      };
      void sendJson<{ id: string; count: number }>("/api/map/selections", "POST", body).then((answer) => {
        if (round !== lassoRound.current) return;
        setStored(
          answer.ok
            ? { kind: "saved", id: answer.value.id, count: answer.value.count }
            : { kind: "failed", error: answer.error, count: local.length },
        );
      });
    },
    [points, visibility, colouring, hidden, colourBy, filters, projectionParam],
  );
  const clearSelection = useCallback(() => {
    lassoRound.current++;
    setSelected([]);
    setStored(null);
  }, []);
  const onClick = useCallback(
    (index: number) => {
      if (points) setOpenSample(points.instructionId[index]!);
    },
    [points],
  );
  const onHover = useCallback((index: number | null, at: { x: number; y: number }) => setHover(index === null ? null : { index, at }), []);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  function toggleCategory(index: number) {
    const next = new Set(hidden);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    setHiddenByColour({ colourBy, hidden: next });
  }

  function applyHighlight(event: FormEvent) {
    event.preventDefault();
    navigate((next) => {
      if (highlightText.trim() === "") next.delete("highlight");
      else next.set("highlight", highlightText.trim());
    });
  }

  function applyFilters(nextFilters: SampleFilters) {
    navigate((next) => {
      const kept = ["projection", "color", "highlight"].map((key) => [key, next.get(key)] as const);
      const replaced = filterSearch(nextFilters);
      for (const [key, value] of kept) if (value !== null) replaced.set(key, value);
      for (const key of [...next.keys()]) next.delete(key);
      for (const [key, value] of replaced) next.append(key, value);
    });
  }

  const tableLink = `/samples${filterSearch(filters).size > 0 ? `?${filterSearch(filters)}` : ""}`;
  const hoveredId = hover && points ? points.instructionId[hover.index] : undefined;

  return (
    <div className={openSample !== null ? "with-drawer" : undefined}>
      <ProjectionPicker chosenId={projectionParam} onChoose={chooseProjection} followId={followId} onFollow={setFollowId} />
      {projection && projection.status === "done" ? (
        <ProjectionFreshness
          key={projection.id}
          projectionId={projection.id}
          following={followId !== null}
          pointsSettled={state.kind === "ready" || state.kind === "failed"}
          onQueued={setFollowId}
        />
      ) : null}
      <details className="map-filters" open={filterSearch(filters).size > 0}>
        <summary>
          Filters, shared with the samples table
          {filterSearch(filters).size > 0 ? ` (${decodeURIComponent(filterSearch(filters).toString()).replace(/&/g, ", ")})` : ""}
        </summary>
        <SampleFiltersForm key={JSON.stringify(filters)} filters={filters} taxonomy={taxonomy} runs={runs} onApply={applyFilters} />
      </details>
      {filterProblem ? (
        <p className="status-bad" role="alert">
          {filterProblem}
        </p>
      ) : null}
      <div className="map-toolbar">
        <label>
          Colour by{" "}
          <select value={colourBy} onChange={(event) => navigate((next) => next.set("color", event.target.value))}>
            {COLOUR_BY_KEYS.map((key) => (
              <option key={key} value={key}>
                {COLOUR_BY[key]}
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={applyHighlight} className="map-row" role="search" aria-label="Highlight search">
          <input
            type="search"
            aria-label="Highlight matches"
            placeholder="highlight: e.g. insulin"
            value={highlightText}
            onChange={(event) => setHighlightText(event.target.value)}
          />
          <button type="submit" className="secondary small-button">
            Highlight
          </button>
        </form>
        <span className="map-row" role="radiogroup" aria-label="Mouse mode">
          <label className="check">
            <input type="radio" name="map-mode" checked={mode === "panZoom"} onChange={() => setMode("panZoom")} />
            pan &amp; zoom
          </label>
          <label className="check">
            <input type="radio" name="map-mode" checked={mode === "lasso"} onChange={() => setMode("lasso")} />
            lasso select
          </label>
        </span>
        <label className="check">
          <input type="checkbox" checked={showOutside} onChange={(event) => setShowOutside(event.target.checked)} />
          show points outside the filters (grey)
        </label>
        <Link href={tableLink}>Open these filters in the table</Link>
      </div>
      <p className="muted small" role="status" data-testid="map-status">
        {state.kind === "idle" && !projectionParam ? "No finished projection yet: start one above, or wait for the demo's." : null}
        {state.kind === "loading" ? "Loading points…" : null}
        {state.kind === "failed" ? <span className="status-bad">{state.error}</span> : null}
        {state.kind === "ready" && visibility ? (
          <>
            {state.points.count.toLocaleString("en")} points
            {projection?.space ? ` embedded by ${projection.space.embedder}` : ""} ·{" "}
            {(visibility.visible?.length ?? state.points.count).toLocaleString("en")} shown, {visibility.coloured.toLocaleString("en")} in
            colour
            {visibility.outsideFilter > 0 ? ` · ${visibility.outsideFilter.toLocaleString("en")} outside the filters` : ""}
            {highlight ? ` · ${visibility.searchMatches.toLocaleString("en")} match “${highlight}”` : ""} ·{" "}
            {(state.bytes / 1024).toFixed(0)} KB fetched in {state.fetchMs.toFixed(0)} ms, decoded in {state.decodeMs.toFixed(1)} ms
          </>
        ) : null}
      </p>
      <div className="map-layout">
        <div className="map-stage" data-testid="map-stage" data-coloured-points={visibility?.coloured ?? 0}>
          {policy === "blocked" ? (
            <div className="map-canvas-frame">
              <ScatterFailureNotice failure="evalBlocked" />
            </div>
          ) : policy !== "ok" ? (
            <div className="map-canvas-frame map-empty">
              <span className="muted">{policy === "reloading" ? "Opening the map as a page of its own…" : "Preparing the map…"}</span>
            </div>
          ) : points && display && visibility ? (
            <PointScatter
              points={points}
              category={display.category}
              colours={display.colours}
              visible={visibility.visible}
              mode={mode}
              selected={selectedIndexes}
              onHover={onHover}
              onClick={onClick}
              onLasso={onLasso}
            />
          ) : (
            <div className="map-canvas-frame map-empty" />
          )}
          {hover && hoveredId !== undefined ? <PointTooltip instructionId={hoveredId} at={hover.at} /> : null}
        </div>
        {colouring ? (
          <MapLegend
            title={COLOUR_BY[colourBy]}
            entries={colouring.legend}
            hidden={hidden}
            onToggle={toggleCategory}
            onShowAll={() => setHiddenByColour({ colourBy, hidden: new Set() })}
          />
        ) : null}
      </div>
      {stored ? (
        <SelectionPanel
          selection={stored}
          taxonomy={taxonomy}
          hiddenNote={colourBy === "reward" && hidden.size > 0 ? "hidden reward bins are not left out of the stored selection" : null}
          onApplied={reload}
          onClear={clearSelection}
        />
      ) : (
        <p className="muted small">Choose “lasso select” and draw around points to select them (or hold Shift while dragging).</p>
      )}
      {openSample !== null ? <NeighboursPanel instructionId={openSample} taxonomy={taxonomy} onOpen={setOpenSample} /> : null}
      <TttRetrieval onOpen={setOpenSample} />
      {openSample !== null ? (
        <SampleDrawer sampleId={openSample} taxonomy={taxonomy} onClose={() => setOpenSample(null)} onLabelsChanged={reload} />
      ) : null}
    </div>
  );
}
