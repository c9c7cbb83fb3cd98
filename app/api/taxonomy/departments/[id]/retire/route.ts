import { withRole } from "@/lib/auth/with-role";
import type { Actor } from "@/lib/auth/roles";
import { NextResponse } from "next/server";
import { database } from "@/lib/db/database";
import { retireDepartment } from "@/lib/taxonomy";
import { curationErrorResponse } from "@/app/api/labels/curation-errors";
import { departmentIdSchema } from "@/app/api/taxonomy/taxonomy-schemas";

export const dynamic = "force-dynamic";

/** POST /api/taxonomy/departments/:id/retire: existing labels keep it; new labels may not use it. */
export const POST = withRole("admin", async (_request: Request, { params }: { params: Promise<{ id: string }> }, actor: Actor) => {
  const id = departmentIdSchema.safeParse(await params);
  if (!id.success) return NextResponse.json({ error: "no such department" }, { status: 404 });
  try {
    return NextResponse.json(await retireDepartment(await database(), id.data.id, actor.name));
  } catch (error) {
    return curationErrorResponse(error);
  }
});
