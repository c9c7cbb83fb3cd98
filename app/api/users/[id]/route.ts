import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { ROLES } from "@/lib/auth/roles";
import { database } from "@/lib/db/database";
import { setUserDisabled, setUserPassword, setUserRole, type UserView } from "@/lib/auth/users";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";
import { userErrorResponse } from "@/app/api/users/user-responses";

export const dynamic = "force-dynamic";

const Change = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional(), password: z.string().optional() })
  .refine((change) => change.role !== undefined || change.disabled !== undefined || change.password !== undefined, {
    error: "send role, disabled or password",
  });

/** PATCH /api/users/:id { role?, disabled?, password? } (admin). The last enabled admin keeps its role. */
export const PATCH = withRole(
  "admin",
  async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const change = Change.safeParse(body.value);
    if (!change.success) return NextResponse.json({ error: describeIssues(change.error.issues) }, { status: 400 });
    try {
      const db = await database();
      let user: UserView | null = null;
      if (change.data.password !== undefined) await setUserPassword(db, id, change.data.password);
      if (change.data.role !== undefined) user = await setUserRole(db, id, change.data.role);
      if (change.data.disabled !== undefined) user = await setUserDisabled(db, id, change.data.disabled);
      return NextResponse.json(user ?? { id, passwordChanged: true });
    } catch (error) {
      return userErrorResponse(error);
    }
  },
  { action: "users.update", subjectType: "user" },
);
