import { NextResponse } from "next/server";
import { z } from "zod";
import type { Database } from "@/lib/db/database";
import { database } from "@/lib/db/database";
import {
  HISTOGRAM_FIELDS,
  HISTOGRAM_GROUPS,
  parseSampleQuery,
  type HistogramField,
  type HistogramGroup,
  type SampleFiltersInput,
} from "@/lib/samples";
import { describeIssues } from "@/lib/http/route-errors";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";

const Params = z.object({ field: z.enum(HISTOGRAM_FIELDS), by: z.enum(HISTOGRAM_GROUPS).optional() });

type ScoreAggregate = (db: Database, field: HistogramField, filters?: SampleFiltersInput, by?: HistogramGroup) => Promise<unknown>;

/** A GET handler for `?field=…&by=…&<sample filters>` answered by one of the lib's SQL aggregates. */
export function scoreAggregateRoute(aggregate: ScoreAggregate): (request: Request) => Promise<Response> {
  return async (request) => {
    const search = new URL(request.url).searchParams;
    const parsed = Params.safeParse({ field: search.get("field") ?? undefined, by: search.get("by") ?? undefined });
    if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
    try {
      const { filters } = parseSampleQuery(search);
      return NextResponse.json(await aggregate(await database(), parsed.data.field, filters, parsed.data.by));
    } catch (error) {
      return curationErrorResponse(error);
    }
  };
}
