"use client";

import { useCallback, useEffect, useState } from "react";
import { useSearchParams } from "next/navigation";
import { readExtras, writeColumns } from "@/components/samples/browser-view";
import type { PresetId } from "@/components/samples/column-names";

export interface ClientParams {
  sample: number | null;
  preset: PresetId | null;
  hidden: string[];
}

function readParams(params: URLSearchParams): ClientParams {
  const extras = readExtras(params);
  return { sample: extras.sample, preset: extras.preset, hidden: extras.hidden };
}

function sameParams(params: URLSearchParams, state: ClientParams): boolean {
  const extras = readExtras(params);
  return extras.sample === state.sample && extras.preset === state.preset && extras.hidden.join(",") === state.hidden.join(",");
}

function writeParams(params: URLSearchParams, state: ClientParams): void {
  if (state.sample === null) params.delete("sample");
  else params.set("sample", String(state.sample));
  writeColumns(params, state);
}

/**
 * The open sample and the columns: React state that the URL mirrors. They change at once on a
 * click or key, without waiting for a server render; a server navigation that finishes later and
 * rewrites the URL from the router's own copy gets them put back; Back and Forward restore them.
 */
export function useClientParams(pathname: string): [ClientParams, (next: ClientParams, mode: "push" | "replace") => void] {
  const search = useSearchParams();
  const [state, setState] = useState<ClientParams>(() => readParams(new URLSearchParams(search.toString())));

  useEffect(() => {
    const onPop = () => setState(readParams(new URLSearchParams(window.location.search)));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (sameParams(params, state)) return;
    writeParams(params, state);
    window.history.replaceState(window.history.state, "", `${pathname}?${params}`);
  }, [search, state, pathname]);

  const update = useCallback(
    (next: ClientParams, mode: "push" | "replace") => {
      setState(next);
      const params = new URLSearchParams(window.location.search);
      writeParams(params, next);
      const href = `${pathname}${params.size > 0 ? `?${params}` : ""}`;
      if (mode === "push") window.history.pushState(window.history.state, "", href);
      else window.history.replaceState(window.history.state, "", href);
    },
    [pathname],
  );

  return [state, update];
}
