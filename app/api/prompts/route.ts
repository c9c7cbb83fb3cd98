import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { derivePrompt, listPrompts } from "@/lib/runs/prompt-store";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

const DeriveBody = z
  .object({
    key: z.string().trim().min(1, "key is required").max(200),
    fromVersion: z.number().int().positive(),
    template: z.string().min(1, "template is empty").max(200_000),
  })
  .strict();

export const GET = withRole("viewer", async () => {
  return NextResponse.json({ prompts: await listPrompts(await database()) });
});

/** POST /api/prompts { key, fromVersion, template } — a new version derived from an existing one. */
export const POST = withRole("curator", async (request: Request, _context: unknown, actor: Actor) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const input = DeriveBody.safeParse(body.value);
  if (!input.success) return NextResponse.json({ error: describeIssues(input.error.issues) }, { status: 400 });
  try {
    const created = await derivePrompt(await database(), { ...input.data, createdBy: actor.name });
    return NextResponse.json(created, { status: 201 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // derivePrompt's own refusals (unknown version, a dropped {{variable}}) are the caller's to fix.
    if (/has no version/.test(message)) return NextResponse.json({ error: message }, { status: 404 });
    if (/lacks/.test(message)) return NextResponse.json({ error: message }, { status: 400 });
    throw error;
  }
});
