import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { cancelChain } from "@/lib/training";
import { noSuchChain, trainingErrorResponse } from "@/app/api/training/training-responses";

export const dynamic = "force-dynamic";

/** POST: scancel every unfinished job of the chain. 409 when it already ended. */
export const POST = withRole("approver", async (_request: Request, { params }: { params: Promise<{ id: string }> }, actor) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchChain(id);
  try {
    return NextResponse.json(await cancelChain(await database(), id, actor.name));
  } catch (error) {
    return trainingErrorResponse(error);
  }
});
