import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { SqlParams } from "../samples/sql-params";
import type { ScopeWhere } from "./embedding-scope";
import type { EmbeddingInput } from "./embedder-spec";

/** One sample's text as a space embeds it: the instruction, with its chosen answer, with its source text. */
export interface SpaceText {
  instructionId: bigint;
  text: string;
}

export const PAGE_ROWS = 2_000;

const spaceTextRow = z.object({ instruction_id: z.string(), text: z.string() });

export function textColumn(input: EmbeddingInput): string {
  if (input === "instruction") return "d.instruction";
  const withAnswer = "d.instruction || E'\\n\\n' || coalesce(r.text, '')";
  return input === "instruction+response" ? withAnswer : `${withAnswer} || E'\\n\\n' || coalesce(t.text, '')`;
}

export function responseJoin(input: EmbeddingInput): string {
  if (input === "instruction") return "";
  const answer = "LEFT JOIN responses r ON r.id = s.chosen_response_id";
  return input === "instruction+response" ? answer : `${answer} LEFT JOIN source_texts t ON t.id = s.source_text_id`;
}

/**
 * Pages through the texts of the samples matching `where` (over `samples s`), in instruction id order,
 * a bounded page at a time so memory stays flat at 300,000 samples.
 */
export async function* pageSpaceTexts(
  db: Database,
  input: EmbeddingInput,
  where: ScopeWhere,
  pageRows = PAGE_ROWS,
): AsyncGenerator<SpaceText[]> {
  let after = -1n;
  for (;;) {
    const params = new SqlParams();
    const page = await queryRows(
      db.pool,
      spaceTextRow,
      `SELECT s.instruction_id::text AS instruction_id, ${textColumn(input)} AS text
         FROM samples s JOIN sample_documents d ON d.instruction_id = s.instruction_id ${responseJoin(input)}
        WHERE (${where(params)}) AND s.instruction_id > ${params.add(after.toString(), "bigint")}
        ORDER BY s.instruction_id LIMIT ${pageRows}`,
      params.values,
    );
    if (page.length === 0) return;
    yield page.map((row) => ({ instructionId: BigInt(row.instruction_id), text: row.text }));
    after = BigInt(page.at(-1)!.instruction_id);
    if (page.length < pageRows) return;
  }
}
