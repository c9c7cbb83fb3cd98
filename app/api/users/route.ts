import { NextResponse } from "next/server";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { createUser, listUsers } from "@/lib/auth/users";
import { readJsonBody } from "@/lib/http/json-body";
import { userErrorResponse } from "@/app/api/users/user-responses";

export const dynamic = "force-dynamic";

/** GET /api/users: everyone who signs in (admin). */
export const GET = withRole("admin", async () => NextResponse.json({ users: await listUsers(await database()) }));

/** POST /api/users { email, role, password, name? }: a new user, asked to change the password at first sign-in (admin). */
export const POST = withRole(
  "admin",
  async (request: Request) => {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    try {
      const input = body.value as Record<string, unknown>;
      const user = await createUser(await database(), {
        ...(input as { email: string; role: "viewer"; password: string }),
        mustChangePassword: input.mustChangePassword !== false,
      });
      return NextResponse.json(user, { status: 201 });
    } catch (error) {
      return userErrorResponse(error);
    }
  },
  { action: "users.create", subjectType: "user" },
);
