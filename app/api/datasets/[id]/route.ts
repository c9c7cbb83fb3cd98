import { withRole } from "@/lib/auth/with-role";
import { NextResponse } from "next/server";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { getVersion } from "@/lib/datasets";
import { datasetErrorResponse, noSuchVersion } from "@/app/api/datasets/dataset-responses";

export const dynamic = "force-dynamic";

export const GET = withRole("viewer", async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return noSuchVersion(id);
  try {
    return NextResponse.json(await getVersion(await database(), id));
  } catch (error) {
    return datasetErrorResponse(error);
  }
});
