"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { MapPoints } from "@/lib/map-points/point-payload";
import { ScatterFailureNotice } from "@/components/map/scatter-failure-notice";
import { classifyScatterError, mapPolicyReloadSucceeded, type ScatterFailure } from "@/components/map/scatter-health";
import { spatialIndexOf } from "@/components/map/spatial-index";

type Scatterplot = ReturnType<(typeof import("regl-scatterplot"))["default"]>;

export type MouseMode = "panZoom" | "lasso";

export interface PointScatterProps {
  points: MapPoints;
  /** Colour index per point, into `colours`. */
  category: Uint16Array;
  colours: string[];
  /** Point indexes to draw; null draws all. */
  visible: number[] | null;
  mode: MouseMode;
  /** Point indexes shown as selected (kept across reloads, which may reorder the points). */
  selected: number[];
  onHover: (index: number | null, at: { x: number; y: number }) => void;
  onClick: (index: number) => void;
  /** The lassoed point indexes and the lasso in the projection's coordinates (null when cleared). */
  onLasso: (indexes: number[], polygon: [number, number][] | null) => void;
}

// The lasso goes to the server; a few thousand corners describe any hand-drawn shape.
const MAX_LASSO_CORNERS = 2_000;

/** Positions scaled into the library's [-1, 1] square, keeping the layout's aspect ratio. */
function normalised(points: MapPoints): { x: Float32Array; y: Float32Array; toProjection: (at: [number, number]) => [number, number] } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.count; i++) {
    minX = Math.min(minX, points.x[i]!);
    maxX = Math.max(maxX, points.x[i]!);
    minY = Math.min(minY, points.y[i]!);
    maxY = Math.max(maxY, points.y[i]!);
  }
  const half = Math.max(maxX - minX, maxY - minY, 1e-9) / 2 / 0.95;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const x = new Float32Array(points.count);
  const y = new Float32Array(points.count);
  for (let i = 0; i < points.count; i++) {
    x[i] = (points.x[i]! - cx) / half;
    y[i] = (points.y[i]! - cy) / half;
  }
  return { x, y, toProjection: ([px, py]) => [px * half + cx, py * half + cy] };
}

/**
 * The lasso's corners back in the projection's coordinates, thinned to at most MAX_LASSO_CORNERS. The
 * library hands them over as [x, y] pairs (its types say a flat list, so both are read).
 */
function lassoPolygon(
  coordinates: readonly unknown[],
  toProjection: (at: [number, number]) => [number, number],
): [number, number][] | null {
  const corners: [number, number][] = [];
  if (Array.isArray(coordinates[0])) for (const at of coordinates as number[][]) corners.push([Number(at[0]), Number(at[1])]);
  else for (let i = 0; i + 1 < coordinates.length; i += 2) corners.push([Number(coordinates[i]), Number(coordinates[i + 1])]);
  const step = Math.max(1, Math.ceil(corners.length / MAX_LASSO_CORNERS));
  const polygon: [number, number][] = [];
  for (let i = 0; i < corners.length; i += step) {
    const [x, y] = corners[i]!;
    if (Number.isFinite(x) && Number.isFinite(y)) polygon.push(toProjection([x, y]));
  }
  return polygon.length >= 3 ? polygon : null;
}

function pointSizeFor(count: number): number {
  return count > 100_000 ? 2 : count > 10_000 ? 3 : count > 1_000 ? 5 : 7;
}

/**
 * The WebGL scatter (regl-scatterplot). The library is loaded in the browser only; the drawn point
 * count and the draw time are mirrored on data attributes so tests and benches can read them.
 */
export function PointScatter({ points, category, colours, visible, mode, selected, onHover, onClick, onLasso }: PointScatterProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const [scatter, setScatter] = useState<Scatterplot | null>(null);
  const [drawn, setDrawn] = useState<{ points: number; ms: number } | null>(null);
  const [problem, setProblem] = useState<{ failure: ScatterFailure; detail: string } | null>(null);
  const handlers = useRef({ onHover, onClick, onLasso });
  const lassoed = useRef<number[] | null>(null);
  const toProjection = useRef<(at: [number, number]) => [number, number]>((at) => at);
  const lassoing = useRef(false);
  const mouse = useRef({ x: 0, y: 0 });
  useEffect(() => {
    handlers.current = { onHover, onClick, onLasso };
  }, [onHover, onClick, onLasso]);

  const fail = useCallback((error: unknown) => {
    setProblem(
      (previous) => previous ?? { failure: classifyScatterError(error), detail: error instanceof Error ? error.message : String(error) },
    );
  }, []);

  // Failures that do not come back through a promise: a blocked eval inside an animation frame, the
  // policy's own report, and the browser taking the WebGL context away.
  useEffect(() => {
    const canvas = canvasRef.current;
    const onError = (event: ErrorEvent) => {
      if (classifyScatterError(event.error ?? event.message) === "evalBlocked") fail(event.error ?? event.message);
    };
    const onRejection = (event: PromiseRejectionEvent) => {
      if (classifyScatterError(event.reason) === "evalBlocked") fail(event.reason);
    };
    const onViolation = (event: SecurityPolicyViolationEvent) => {
      if (event.blockedURI === "eval") fail(new EvalError(`Content Security Policy blocked eval (${event.effectiveDirective})`));
    };
    const onContextLost = () => setProblem({ failure: "contextLost", detail: "webglcontextlost" });
    window.addEventListener("error", onError);
    window.addEventListener("unhandledrejection", onRejection);
    document.addEventListener("securitypolicyviolation", onViolation);
    canvas?.addEventListener("webglcontextlost", onContextLost);
    return () => {
      window.removeEventListener("error", onError);
      window.removeEventListener("unhandledrejection", onRejection);
      document.removeEventListener("securitypolicyviolation", onViolation);
      canvas?.removeEventListener("webglcontextlost", onContextLost);
    };
  }, [fail]);

  useEffect(() => {
    let created: Scatterplot | null = null;
    let cancelled = false;
    void import("regl-scatterplot")
      .then(({ default: createScatterplot }) => {
        if (cancelled || !canvasRef.current) return;
        created = createScatterplot({
          canvas: canvasRef.current,
          width: "auto",
          height: "auto",
          backgroundColor: [1, 1, 1, 1],
          lassoColor: [0.06, 0.43, 0.43, 1],
          lassoMinDelay: 0,
          deselectOnEscape: true,
          deselectOnDblClick: false,
        });
        if (!created.isSupported) {
          setProblem({ failure: "webglMissing", detail: "regl-scatterplot: isSupported is false" });
          return;
        }
        created.subscribe("pointOver", (index) => handlers.current.onHover(index, mouse.current));
        created.subscribe("pointOut", () => handlers.current.onHover(null, mouse.current));
        created.subscribe("lassoStart", () => {
          lassoing.current = true;
        });
        // The library selects (the lasso's points) before it reports the lasso's corners.
        created.subscribe("lassoEnd", ({ coordinates }) => {
          lassoing.current = false;
          const indexes = lassoed.current ?? [];
          lassoed.current = null;
          handlers.current.onLasso(indexes, lassoPolygon(coordinates, toProjection.current));
        });
        // The library selects on click as well as by lasso: a click opens the sample instead.
        created.subscribe("select", ({ points: selected }) => {
          if (lassoing.current) lassoed.current = selected;
          else if (selected.length === 1) handlers.current.onClick(selected[0]!);
        });
        created.subscribe("deselect", () => {
          if (!lassoing.current) handlers.current.onLasso([], null);
        });
        setScatter(created);
      })
      .catch(fail);
    return () => {
      cancelled = true;
      created?.destroy();
    };
  }, [fail]);

  const positions = useMemo(() => normalised(points), [points]);
  useEffect(() => {
    toProjection.current = positions.toProjection;
  }, [positions]);

  // Drawing uploads every point; hiding legend entries or filtered-out points only filters the drawn
  // ones, so a legend click does not redraw 300,000 points.
  const drawing = useRef<Promise<void> | null>(null);
  const drawMs = useRef(0);
  const shownVisible = useRef<number[] | null | undefined>(undefined);
  const showRound = useRef(0);
  const latestVisible = useRef(visible);
  useEffect(() => {
    latestVisible.current = visible;
  }, [visible]);
  // Filters the drawn points to `wanted` once the current draw is done; only the latest call reports.
  const show = useCallback(
    (target: Scatterplot, wanted: number[] | null, count: number) => {
      shownVisible.current = wanted;
      const round = ++showRound.current;
      void (drawing.current ?? Promise.resolve())
        // preventEvent: filtering re-selects what stays visible, which must not read as a click or lasso.
        .then(() => (wanted === null ? target.unfilter({ preventEvent: true }) : target.filter(wanted, { preventEvent: true })))
        .then(() => {
          if (round !== showRound.current) return;
          setDrawn({ points: wanted === null ? count : wanted.length, ms: drawMs.current });
          mapPolicyReloadSucceeded();
        })
        .catch(fail);
    },
    [fail],
  );

  useEffect(() => {
    if (!scatter) return;
    const z = new Float32Array(category);
    void scatter.set({
      pointSize: pointSizeFor(points.count),
      pointColor: colours,
      colorBy: "valueA",
      opacity: points.count > 50_000 ? 0.8 : 1,
      opacityInactiveScale: 0.3,
    });
    const started = performance.now();
    // A draw that throws at once becomes a rejected draw, which show() reports like a late failure.
    drawing.current = new Promise<void>((resolve) =>
      resolve(
        scatter.draw(
          { x: positions.x, y: positions.y, z },
          { zDataType: "categorical", spatialIndex: spatialIndexOf(positions.x, positions.y) },
        ),
      ),
    ).then(() => {
      drawMs.current = performance.now() - started;
    });
    show(scatter, latestVisible.current, points.count);
  }, [scatter, points, positions, category, colours, fail, show]);

  useEffect(() => {
    if (!scatter || drawing.current === null || shownVisible.current === visible) return;
    show(scatter, visible, points.count);
  }, [scatter, visible, points, show]);

  useEffect(() => {
    void scatter?.set({ mouseMode: mode });
  }, [scatter, mode]);

  useEffect(() => {
    if (!scatter || drawn === null) return;
    scatter.select(selected, { preventEvent: true });
  }, [scatter, drawn, selected]);

  return (
    <div
      ref={frameRef}
      className="map-canvas-frame"
      data-testid="map-scatter"
      data-drawn-points={problem ? 0 : (drawn?.points ?? 0)}
      data-failure={problem?.failure}
      data-draw-ms={drawn ? Math.round(drawn.ms) : undefined}
      data-mode={mode}
      onMouseMove={(event) => {
        const box = frameRef.current?.getBoundingClientRect();
        if (box) mouse.current = { x: event.clientX - box.left, y: event.clientY - box.top };
      }}
      onMouseLeave={() => handlers.current.onHover(null, mouse.current)}
    >
      <canvas ref={canvasRef} aria-label="Map of the samples" role="img" hidden={problem !== null} />
      {problem ? <ScatterFailureNotice failure={problem.failure} detail={problem.detail} /> : null}
    </div>
  );
}
