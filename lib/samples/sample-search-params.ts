import { sampleQuerySchema, type SampleQuery } from "./sample-query";

// URL form of a SampleQuery: flat, readable keys a curator can edit by hand (quality.min=7,
// primary=Surgery, secondary=None, sort=reward.desc) that round-trip exactly through the schema.

type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

const NONE = "None";
const RANGES = ["quality", "difficulty", "relevance", "reward"] as const;

function toUrlSearchParams(input: SearchParamsLike): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, item);
  }
  return params;
}

function numberOf(value: string | null): number | undefined | string {
  if (value === null || value === "") return undefined;
  const parsed = Number(value);
  // Left as text so the schema reports the bad value instead of silently dropping it.
  return Number.isFinite(parsed) ? parsed : value;
}

function booleanOf(value: string | null): boolean | undefined | string {
  if (value === null || value === "") return undefined;
  return value === "true" ? true : value === "false" ? false : value;
}

function listOf(params: URLSearchParams, key: string): string[] | undefined {
  const values = params.getAll(key).filter((v) => v !== "");
  return values.length > 0 ? values : undefined;
}

/** Reads a query from a URL's search params (or Next.js's searchParams object); throws a ZodError if invalid. */
export function parseSampleQuery(input: SearchParamsLike): SampleQuery {
  const params = toUrlSearchParams(input);
  const filters: Record<string, unknown> = {};
  for (const key of RANGES) {
    const min = numberOf(params.get(`${key}.min`));
    const max = numberOf(params.get(`${key}.max`));
    if (min !== undefined || max !== undefined) filters[key] = { min, max };
  }
  const source = params.get("labels");
  if (source) filters.labelSource = source;
  filters.primary = listOf(params, "primary");
  filters.secondary = listOf(params, "secondary")?.map((v) => (v === NONE ? null : v));
  filters.tier = listOf(params, "tier");
  filters.status = listOf(params, "status");
  filters.overridden = booleanOf(params.get("overridden"));
  filters.mentionsDetails = booleanOf(params.get("details"));
  filters.runIds = listOf(params, "run");
  filters.text = params.get("q") ?? undefined;
  filters.ids = params
    .get("ids")
    ?.split(",")
    .filter((v) => v !== "")
    .map((v) => numberOf(v));
  filters.selection = params.get("selection") || undefined;
  const [field, direction] = (params.get("sort") ?? "id.asc").split(".");
  const limit = numberOf(params.get("limit"));
  return sampleQuerySchema.parse({
    filters,
    sort: { field, direction },
    after: params.get("after") ?? undefined,
    limit,
  });
}

/** The URL form of a query; parseSampleQuery(sampleQueryToSearchParams(q)) equals q. */
export function sampleQueryToSearchParams(query: SampleQuery): URLSearchParams {
  const params = new URLSearchParams();
  const { filters } = query;
  for (const key of RANGES) {
    const range = filters[key];
    if (range?.min !== undefined) params.set(`${key}.min`, String(range.min));
    if (range?.max !== undefined) params.set(`${key}.max`, String(range.max));
  }
  if (filters.labelSource !== "effective") params.set("labels", filters.labelSource);
  for (const name of filters.primary ?? []) params.append("primary", name);
  for (const name of filters.secondary ?? []) params.append("secondary", name ?? NONE);
  for (const tier of filters.tier ?? []) params.append("tier", tier);
  for (const status of filters.status ?? []) params.append("status", status);
  if (filters.overridden !== undefined) params.set("overridden", String(filters.overridden));
  if (filters.mentionsDetails !== undefined) params.set("details", String(filters.mentionsDetails));
  for (const run of filters.runIds ?? []) params.append("run", run);
  if (filters.text !== undefined) params.set("q", filters.text);
  if (filters.ids !== undefined) params.set("ids", filters.ids.join(","));
  if (filters.selection !== undefined) params.set("selection", filters.selection);
  if (query.sort.field !== "id" || query.sort.direction !== "asc") params.set("sort", `${query.sort.field}.${query.sort.direction}`);
  if (query.after !== undefined) params.set("after", query.after);
  if (query.limit !== 50) params.set("limit", String(query.limit));
  return params;
}
