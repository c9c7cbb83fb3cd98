"use client";

import { useEffect, useSyncExternalStore } from "react";
import { mayReloadForMapPolicy, reloadForMapPolicy, runtimeCompileAllowed } from "@/components/map/scatter-health";

export type MapPolicy = "checking" | "ok" | "reloading" | "blocked";

// A document's policy never changes, so it is decided once per document (a reload starts a new one).
let decided: Exclude<MapPolicy, "checking"> | null = null;

function documentPolicy(): Exclude<MapPolicy, "checking"> {
  decided ??= runtimeCompileAllowed() ? "ok" : mayReloadForMapPolicy() ? "reloading" : "blocked";
  return decided;
}

const neverChanges = () => () => {};

/**
 * Whether this document lets the scatter compile its shaders. A client-side navigation keeps the first
 * page's stricter policy, so the map then reloads itself as a document of its own ("reloading").
 */
export function useMapPolicy(): MapPolicy {
  const policy = useSyncExternalStore<MapPolicy>(neverChanges, documentPolicy, () => "checking");
  useEffect(() => {
    if (policy === "reloading") reloadForMapPolicy();
  }, [policy]);
  return policy;
}
