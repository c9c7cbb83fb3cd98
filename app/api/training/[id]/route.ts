import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { ClusterError, getChain, pollChain } from "@/lib/training";
import { noSuchChain, trainingErrorResponse } from "@/app/api/training/training-responses";

export const dynamic = "force-dynamic";

/** GET: the chain, its version's approval and every stage's job, refreshed from the cluster while it runs. */
export const GET = withRole("viewer", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchChain(id);
  try {
    const db = await database();
    // An unreachable cluster (ssh down, slurmrestd restarting) still shows the chain as last recorded.
    const chain = await pollChain(db, id).catch((error: unknown) => {
      if (error instanceof ClusterError) return getChain(db, id);
      throw error;
    });
    return NextResponse.json(chain);
  } catch (error) {
    return trainingErrorResponse(error);
  }
});
