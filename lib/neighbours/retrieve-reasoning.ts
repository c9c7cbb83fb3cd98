import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { chooseSpace } from "./choose-space";
import { NeighbourQueryError } from "./neighbour-errors";
import { embedQuestion } from "./question-embedder";
import type { NeighbourSpace } from "./sample-neighbours";
import { persistedIndex, searchIndex } from "./persisted-index";

export interface RetrievedReasoning {
  /** Instruction ids stay far below 2^53, so they travel as JSON numbers like everywhere in the studio. */
  instructionId: number;
  similarity: number;
  instruction: string;
  /** The start of the long-form answer's Thought (or the answer when it has none). */
  reasoningSnippet: string;
}

export interface ReasoningRetrieval {
  space: NeighbourSpace;
  results: RetrievedReasoning[];
}

export const MAX_QUESTION_CHARS = 8_000;
export const MAX_RETRIEVED = 50;
const SNIPPET_CHARS = 400;

const reasoningRow = z.object({ instruction_id: z.string(), instruction: z.string(), snippet: z.string() });

/**
 * Test-time training retrieval (the paper's TTT): the long-form reasoning samples (complex, kept, with
 * their reasoning answer) most similar to a question, best first. The question is embedded by the
 * space's own embedder; only reasoning samples are searched.
 */
export async function retrieveReasoning(
  db: Database,
  question: string,
  options: { k?: number; spaceId?: string } = {},
): Promise<ReasoningRetrieval> {
  const text = question.trim();
  if (text.length === 0) throw new NeighbourQueryError("the question is empty", 400);
  if (text.length > MAX_QUESTION_CHARS) throw new NeighbourQueryError(`the question is longer than ${MAX_QUESTION_CHARS} characters`, 400);
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 1 || k > MAX_RETRIEVED)
    throw new NeighbourQueryError(`k must be an integer from 1 to ${MAX_RETRIEVED}`, 400);
  const space = await chooseSpace(db, options.spaceId);
  const index = await persistedIndex(db, space);
  const query = await embedQuestion(db, space, text, index.queryEmbedder);
  const hits = await searchIndex(db, space, index, query, k, { reasoningOnly: true });
  const ids = hits.map((hit) => hit.instructionId.toString());
  const rows = await queryRows(
    db.pool,
    reasoningRow,
    `SELECT d.instruction_id::text AS instruction_id, d.instruction, left(coalesce(nullif(r.thought, ''), r.text), ${SNIPPET_CHARS}) AS snippet
       FROM sample_documents d JOIN samples s ON s.instruction_id = d.instruction_id JOIN responses r ON r.id = s.chosen_response_id
      WHERE d.instruction_id = ANY($1::bigint[])`,
    [ids],
  );
  const described = new Map(rows.map((row) => [row.instruction_id, row]));
  return {
    space: { id: space.id, embedder: space.embedder, kind: space.kind },
    results: hits.flatMap((hit, i) => {
      const found = described.get(ids[i]!);
      return found
        ? [{ instructionId: Number(ids[i]!), similarity: hit.similarity, instruction: found.instruction, reasoningSnippet: found.snippet }]
        : [];
    }),
  };
}
