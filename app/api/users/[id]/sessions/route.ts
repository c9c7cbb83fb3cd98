import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { endUserSessions } from "@/lib/auth/users";
import { userErrorResponse } from "@/app/api/users/user-responses";

export const dynamic = "force-dynamic";

/** DELETE /api/users/:id/sessions (admin): signs the user out everywhere; answers how many sessions ended. */
export const DELETE = withRole(
  "admin",
  async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    try {
      return NextResponse.json({ id, endedSessions: await endUserSessions(await database(), id) });
    } catch (error) {
      return userErrorResponse(error);
    }
  },
  { action: "users.end-sessions", subjectType: "user" },
);
