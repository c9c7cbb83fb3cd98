import { z } from "zod";
import { parseSampleQuery } from "../samples/sample-search-params";
import type { MapPointsRequest } from "./read-map-points";

const mapParamsSchema = z.object({
  projection: z.uuid("projection must be a projection id"),
  highlight: z.string().trim().min(1).max(500).optional(),
});

/**
 * The map's URL: `projection`, an optional `highlight` search, and the /samples filter params
 * (quality.min, primary, q, …) read by the samples page's own parser, so one link filters both.
 * Throws a ZodError naming the bad parameter.
 */
export function parseMapPointsParams(params: URLSearchParams): MapPointsRequest {
  const own = mapParamsSchema.parse({ projection: params.get("projection") ?? undefined, highlight: params.get("highlight") || undefined });
  const { filters } = parseSampleQuery(params);
  return { projectionId: own.projection, filters, highlight: own.highlight };
}
