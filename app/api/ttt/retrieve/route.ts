import { NextResponse } from "next/server";
import { z } from "zod";
import { withRole } from "@/lib/auth/with-role";
import { database } from "@/lib/db/database";
import { MAX_QUESTION_CHARS, MAX_RETRIEVED, NeighbourQueryError, retrieveReasoning } from "@/lib/neighbours";
import { readJsonBody } from "@/lib/http/json-body";
import { describeIssues } from "@/lib/http/route-errors";

export const dynamic = "force-dynamic";

const Body = z
  .object({
    question: z.string().trim().min(1, "the question is empty").max(MAX_QUESTION_CHARS),
    k: z.number().int().min(1).max(MAX_RETRIEVED).default(5),
    spaceId: z.uuid().optional(),
  })
  .strict();

/** {question, k} → {space: {embedder}, results: [{instructionId, similarity, instruction, reasoningSnippet}]}: the paper's TTT retrieval. */
export const POST = withRole("viewer", async (request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = Body.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: describeIssues(parsed.error.issues) }, { status: 400 });
  try {
    const { question, k, spaceId } = parsed.data;
    return NextResponse.json(await retrieveReasoning(await database(), question, { k, ...(spaceId ? { spaceId } : {}) }));
  } catch (error) {
    if (error instanceof NeighbourQueryError) return NextResponse.json({ error: error.message }, { status: error.status });
    throw error;
  }
});
