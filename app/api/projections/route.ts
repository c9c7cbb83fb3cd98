import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { createProjection, ProjectionRequestError } from "@/lib/projection/create-projection";
import { listProjections } from "@/lib/projection/projection-store";
import { readJsonBody } from "@/lib/http/json-body";

export const dynamic = "force-dynamic";

/** Every projection, newest first, with its embedder, parameters, status and progress (polled by the map). */
export const GET = withRole("viewer", async () => {
  return NextResponse.json({ projections: await listProjections(await database()) });
});

/** Body: {method: "umap"|"tsne", parameters?, scope?: {runIds?, filters?}, embedder?, input?} → 201 {id}; a worker computes it. */
export const POST = withRole("curator", async (request, _context, actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  try {
    const created = await createProjection(await database(), body.value, actor.name);
    return NextResponse.json(created, { status: 201 });
  } catch (error) {
    if (error instanceof ProjectionRequestError) return NextResponse.json({ error: error.message }, { status: 400 });
    throw error;
  }
});
