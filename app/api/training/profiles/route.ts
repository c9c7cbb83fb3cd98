import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { listProfiles, saveProfile } from "@/lib/training";
import { readJsonBody } from "@/lib/http/json-body";
import { trainingErrorResponse } from "@/app/api/training/training-responses";

export const dynamic = "force-dynamic";

/** GET: every cluster profile (the built-in local one included). Secrets are never in a profile. */
export const GET = withRole("viewer", async () => NextResponse.json({ profiles: await listProfiles(await database()) }));

/** PUT: create or replace a profile (admin); 400 with the reasons and nothing stored on bad input. */
export const PUT = withRole("admin", async (request: Request, _context: unknown, actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  try {
    return NextResponse.json(await saveProfile(await database(), body.value, actor.name));
  } catch (error) {
    return trainingErrorResponse(error);
  }
});
