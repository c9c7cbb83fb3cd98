import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { createServiceToken, listServiceTokens } from "@/lib/auth/service-tokens";
import { readJsonBody } from "@/lib/http/json-body";
import { userErrorResponse } from "@/app/api/users/user-responses";

export const dynamic = "force-dynamic";

/** GET /api/tokens: service tokens by name, role and prefix; never the token (admin). */
export const GET = withRole("admin", async () => NextResponse.json({ tokens: await listServiceTokens(await database()) }));

/** POST /api/tokens { name, role }: the token is in this response only (admin). */
export const POST = withRole(
  "admin",
  async (request: Request, _context: unknown, actor) => {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    try {
      const created = await createServiceToken(await database(), body.value as { name: string; role: "viewer" }, actor.name);
      return NextResponse.json({ ...created.view, token: created.token }, { status: 201 });
    } catch (error) {
      return userErrorResponse(error);
    }
  },
  { action: "tokens.create", subjectType: "service-token" },
);
