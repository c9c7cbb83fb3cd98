import { z } from "zod";
import type { SampleQuery } from "@/lib/samples/sample-query";
import { sampleQueryToSearchParams } from "@/lib/samples/sample-search-params";

// The browser's state beyond the query itself, also kept in the URL so a copied link reproduces the
// view: the cursors of earlier pages (keyset paging cannot step back without them), hidden columns,
// and the sample open in the drawer.

export interface BrowserView {
  query: SampleQuery;
  /** The `after` cursor of each earlier page, oldest first; "" stands for the first page. */
  prev: string[];
  hidden: string[];
  sample: number | null;
}

const sampleId = z.coerce.number().int().positive();

export function readExtras(params: URLSearchParams): Omit<BrowserView, "query"> {
  const parsed = sampleId.safeParse(params.get("sample") ?? undefined);
  return {
    prev: params.getAll("prev"),
    hidden: (params.get("hide") ?? "").split(",").filter((column) => column !== ""),
    sample: parsed.success ? parsed.data : null,
  };
}

export function viewSearch(view: BrowserView): string {
  const params = sampleQueryToSearchParams(view.query);
  for (const cursor of view.prev) params.append("prev", cursor);
  if (view.hidden.length > 0) params.set("hide", view.hidden.join(","));
  if (view.sample !== null) params.set("sample", String(view.sample));
  const search = params.toString();
  return search === "" ? "" : `?${search}`;
}

export function viewHref(view: BrowserView): string {
  return `/samples${viewSearch(view)}`;
}
