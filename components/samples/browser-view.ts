import { z } from "zod";
import type { SampleQuery } from "@/lib/samples/sample-query";
import { sampleQueryToSearchParams } from "@/lib/samples/sample-search-params";
import { DEFAULT_PRESET, isPresetId, presetHidden, type PresetId } from "@/components/samples/column-names";

// The browser's state beyond the query itself, also kept in the URL so a copied link reproduces the
// view: the cursors of earlier pages (keyset paging cannot step back without them), the column preset
// or hand-picked hidden columns, and the sample open in the drawer.

export interface BrowserView {
  query: SampleQuery;
  /** The `after` cursor of each earlier page, oldest first; "" stands for the first page. */
  prev: string[];
  /** The column preset in force; null when the columns were picked by hand (then `hidden` says which). */
  preset: PresetId | null;
  hidden: string[];
  sample: number | null;
}

const sampleId = z.coerce.number().int().positive();
const CUSTOM = "custom";

/** The columns part of the URL: `cols=<preset>`, or `cols=custom&hide=a,b` (a bare `hide` from older links reads as custom). */
export function readColumns(params: URLSearchParams): { preset: PresetId | null; hidden: string[] } {
  const cols = params.get("cols");
  const hide = params.get("hide");
  if (isPresetId(cols)) return { preset: cols, hidden: presetHidden(cols) };
  if (cols === CUSTOM || hide !== null) return { preset: null, hidden: (hide ?? "").split(",").filter((column) => column !== "") };
  return { preset: DEFAULT_PRESET, hidden: presetHidden(DEFAULT_PRESET) };
}

export function writeColumns(params: URLSearchParams, columns: { preset: PresetId | null; hidden: string[] }): void {
  params.delete("cols");
  params.delete("hide");
  if (columns.preset === null) {
    params.set("cols", CUSTOM);
    if (columns.hidden.length > 0) params.set("hide", columns.hidden.join(","));
  } else if (columns.preset !== DEFAULT_PRESET) params.set("cols", columns.preset);
}

export function readExtras(params: URLSearchParams): Omit<BrowserView, "query"> {
  const parsed = sampleId.safeParse(params.get("sample") ?? undefined);
  return { prev: params.getAll("prev"), ...readColumns(params), sample: parsed.success ? parsed.data : null };
}

export function viewSearch(view: BrowserView): string {
  const params = sampleQueryToSearchParams(view.query);
  for (const cursor of view.prev) params.append("prev", cursor);
  writeColumns(params, view);
  if (view.sample !== null) params.set("sample", String(view.sample));
  const search = params.toString();
  return search === "" ? "" : `?${search}`;
}

export function viewHref(view: BrowserView): string {
  return `/samples${viewSearch(view)}`;
}
