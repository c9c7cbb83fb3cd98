"use client";

import { useEffect, useRef } from "react";

/**
 * Calls `poll` every `intervalMs` while `active` (and at once when `immediate`), one call at a time: the
 * next waits until the previous has settled, so a slow studio is never asked again before it answered.
 * A new `poll` (its inputs changed) restarts the cycle.
 */
export function usePolling(poll: () => Promise<void>, intervalMs: number, { active = true, immediate = false } = {}): void {
  const latest = useRef(poll);
  useEffect(() => {
    latest.current = poll;
  }, [poll]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    function schedule() {
      if (!stopped && active) timer = setTimeout(tick, intervalMs);
    }
    function tick() {
      void latest.current().finally(schedule);
    }
    if (immediate) tick();
    else schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [poll, intervalMs, active, immediate]);
}
