import { histogram } from "@/lib/samples";
import { withRole } from "@/lib/auth/with-role";
import { scoreAggregateRoute } from "@/app/api/analytics/score-aggregate-route";

export const dynamic = "force-dynamic";

/** GET /api/analytics/histogram?field=quality&by=tier&<sample filters>: buckets aggregated in SQL. */
export const GET = withRole("viewer", scoreAggregateRoute(histogram));
