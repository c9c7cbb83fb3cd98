import type { ReactNode } from "react";

/**
 * A link to the map. A plain <a>, never next/link: the map must arrive as a document of its own so it
 * gets its own Content-Security-Policy (its WebGL library needs 'unsafe-eval', which no other page allows).
 */
export function MapLink({ search, children }: { search?: URLSearchParams | string; children: ReactNode }) {
  const query = search === undefined ? "" : String(search);
  return <a href={query ? `/map?${query}` : "/map"}>{children}</a>;
}
