import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { revokeServiceToken } from "@/lib/auth/service-tokens";
import { userErrorResponse } from "@/app/api/users/user-responses";

export const dynamic = "force-dynamic";

/** POST /api/tokens/:id/revoke (admin): the token stops working at once. */
export const POST = withRole(
  "admin",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    try {
      return NextResponse.json(await revokeServiceToken(await database(), (await params).id));
    } catch (error) {
      return userErrorResponse(error);
    }
  },
  { action: "tokens.revoke", subjectType: "service-token" },
);
