import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { pollChain } from "@/lib/training";
import { noSuchChain, trainingErrorResponse } from "@/app/api/training/training-responses";

export const dynamic = "force-dynamic";

/** GET: the chain, its version's approval and every stage's job, refreshed from the cluster while it runs. */
export const GET = withRole("viewer", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchChain(id);
  try {
    return NextResponse.json(await pollChain(await database(), id));
  } catch (error) {
    return trainingErrorResponse(error);
  }
});
