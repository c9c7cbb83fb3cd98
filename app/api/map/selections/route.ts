import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { createMapSelection, SelectionProjectionNotFoundError } from "@/lib/map-selections";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

/** POST {projection, polygon: [[x, y], …], filters?, hidden?} → 201 {id, count}: the samples inside the lasso, stored. */
export const POST = withRole("viewer", async (request, _context, actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  try {
    const created = await createMapSelection(await database(), body.value, actor.name);
    return NextResponse.json(created, { status: 201 });
  } catch (error) {
    if (error instanceof ZodError) return NextResponse.json({ error: describeIssues(error.issues) }, { status: 400 });
    if (error instanceof SelectionProjectionNotFoundError) return NextResponse.json({ error: error.message }, { status: 404 });
    throw error;
  }
});
