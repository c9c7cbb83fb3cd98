import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { currentTaxonomy } from "@/lib/taxonomy";

export const dynamic = "force-dynamic";

/** GET /api/taxonomy: primaries with their secondaries, retired ones included and marked. */
export const GET = withRole("viewer", async () => {
  return NextResponse.json(await currentTaxonomy(await database()));
});
