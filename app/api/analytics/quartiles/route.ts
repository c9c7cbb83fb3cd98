import { scoreQuartiles } from "@/lib/samples";
import { withRole } from "@/lib/auth/with-role";
import { scoreAggregateRoute } from "@/app/api/analytics/score-aggregate-route";

export const dynamic = "force-dynamic";

/** GET /api/analytics/quartiles?field=quality&by=tier&<sample filters>: min, quartiles, max and mean per group, from SQL. */
export const GET = withRole("viewer", scoreAggregateRoute(scoreQuartiles));
