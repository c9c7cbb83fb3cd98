"use client";

import { useEffect, useState } from "react";
import { decodePointPayload, type MapPoints } from "@/lib/map-points/point-payload";

export type PointsState =
  | { kind: "idle" }
  | { kind: "loading" }
  | { kind: "ready"; points: MapPoints; bytes: number; fetchMs: number; decodeMs: number }
  | { kind: "failed"; error: string };

/** Fetches and decodes the binary point payload for `search` (projection, filters, highlight); `generation` forces a reload. */
export function useMapPoints(search: string | null, generation: number): PointsState {
  // The answer is kept with the request it answers; until the current request's answer is in, the
  // page keeps showing the last points it drew (or "loading" when there were none).
  const key = search === null ? null : `${search}#${generation}`;
  const [answer, setAnswer] = useState<{ key: string; state: PointsState } | null>(null);
  useEffect(() => {
    if (key === null || search === null) return;
    const controller = new AbortController();
    const setState = (state: PointsState) => setAnswer({ key, state });
    void (async () => {
      const started = performance.now();
      try {
        const response = await fetch(`/api/map/points?${search}`, { signal: controller.signal, cache: "no-store" });
        if (!response.ok) {
          const body = (await response.json().catch(() => null)) as { error?: string } | null;
          setState({ kind: "failed", error: body?.error ?? `the server answered ${response.status}` });
          return;
        }
        const buffer = await response.arrayBuffer();
        const fetched = performance.now();
        const points = decodePointPayload(buffer);
        setState({ kind: "ready", points, bytes: buffer.byteLength, fetchMs: fetched - started, decodeMs: performance.now() - fetched });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({ kind: "failed", error: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => controller.abort();
  }, [key, search]);
  if (key === null) return { kind: "idle" };
  if (answer?.key === key) return answer.state;
  return answer?.state.kind === "ready" ? answer.state : { kind: "loading" };
}
