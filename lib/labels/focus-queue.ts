import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { countSamples } from "../samples/count-samples";
import { pageSamples } from "../samples/page-samples";
import type { SampleQuery } from "../samples/sample-query";
import type { SampleRow } from "../samples/sample-row";
import { reviewQueue } from "./review-queue";

// Focus mode's queue: one of the existing orders (the review queue, or any filter of the samples
// table) read a page at a time, each sample with what a curator needs to decide on it in one look.

export type FocusQueueKind = "review" | "filter";

export interface FocusItem {
  sample: SampleRow;
  /** The chosen answer's text; null when the sample has no chosen response. */
  chosenAnswer: string | null;
  /** The source text the instruction was generated from, cut at SOURCE_TEXT_LIMIT characters. */
  sourceText: string;
  sourceTextTruncated: boolean;
  /** exp(mean token logprob) of the less sure of the two labels; null without logprobs. */
  confidence: number | null;
  /** Why the review queue holds it; empty for a filter queue. */
  reasons: string[];
}

export interface FocusPage {
  items: FocusItem[];
  nextCursor: string | null;
  /** Samples in the whole queue, on the first page only (null after it, or where the queue cannot count cheaply). */
  total: { count: number; exact: boolean } | null;
  lowRewardBelow: number | null;
}

export const SOURCE_TEXT_LIMIT = 6_000;

interface FocusQueueQuery {
  kind: FocusQueueKind;
  query: SampleQuery;
  /** The review queue's low-reward threshold from its first page, so later pages keep its order. */
  lowRewardBelow?: number | null;
}

/** Only kept samples carry a department that reaches a dataset, so only they are labelled. */
function keptOnly(query: SampleQuery): SampleQuery | null {
  const statuses = (query.filters.status ?? ["kept"]).filter((status) => status === "kept");
  return statuses.length === 0 ? null : { ...query, filters: { ...query.filters, status: statuses } };
}

const focusDocumentRow = z.object({
  instruction_id: z.int(),
  source_text: z.string(),
  source_truncated: z.boolean(),
  chosen_answer: z.string().nullable(),
  model_confidence: z.number().nullable(),
});
type DocumentRecord = z.output<typeof focusDocumentRow>;

async function documentsOf(db: Database, ids: number[]): Promise<Map<number, DocumentRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows(
    db.pool,
    focusDocumentRow,
    `SELECT s.instruction_id, left(st.text, $2) AS source_text, length(st.text) > $2 AS source_truncated,
            r.text AS chosen_answer, s.model_confidence
       FROM samples s
       JOIN source_texts st ON st.id = s.source_text_id
       LEFT JOIN responses r ON r.id = s.chosen_response_id
      WHERE s.instruction_id = ANY($1::bigint[])`,
    [ids, SOURCE_TEXT_LIMIT],
  );
  return new Map(rows.map((row) => [row.instruction_id, row]));
}

function withDocuments(rows: { sample: SampleRow; reasons: string[] }[], documents: Map<number, DocumentRecord>): FocusItem[] {
  return rows.map(({ sample, reasons }) => {
    const document = documents.get(sample.id);
    return {
      sample,
      chosenAnswer: document?.chosen_answer ?? null,
      sourceText: document?.source_text ?? sample.sourceSnippet,
      sourceTextTruncated: document?.source_truncated ?? false,
      confidence: document?.model_confidence ?? null,
      reasons,
    };
  });
}

/** One page of a focus queue; `query.after` continues from the cursor of the page before. */
export async function focusQueuePage(db: Database, input: FocusQueueQuery): Promise<FocusPage> {
  const query = keptOnly(input.query);
  if (query === null) return { items: [], nextCursor: null, total: { count: 0, exact: true }, lowRewardBelow: null };
  const first = query.after === undefined;
  if (input.kind === "review") {
    const { filters, after, limit } = query;
    const page = await reviewQueue(db, { filters, after, limit, lowRewardBelow: input.lowRewardBelow });
    const rows = page.items.map((entry) => ({ sample: entry.sample, reasons: entry.reasons }));
    const documents = await documentsOf(
      db,
      rows.map((row) => row.sample.id),
    );
    // The review queue's order is computed over every candidate; counting it would cost as much again,
    // so its size is only known once its last page has been read.
    const total = first && page.nextCursor === null ? { count: rows.length, exact: true } : null;
    return { items: withDocuments(rows, documents), nextCursor: page.nextCursor, total, lowRewardBelow: page.lowRewardBelow };
  }
  const [page, total] = await Promise.all([pageSamples(db, query), first ? countSamples(db, query.filters) : Promise.resolve(null)]);
  const rows = page.rows.map((sample) => ({ sample, reasons: [] }));
  const documents = await documentsOf(
    db,
    rows.map((row) => row.sample.id),
  );
  return { items: withDocuments(rows, documents), nextCursor: page.nextCursor, total, lowRewardBelow: null };
}
