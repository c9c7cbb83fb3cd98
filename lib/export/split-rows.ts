import { z } from "zod";

/** SFT rows in the `messages` chat format that LLaMA-Factory (sharegpt, OpenAI tags) and TRL both read. */
export interface MessagesRow {
  id: number;
  messages: { role: "user" | "assistant"; content: string }[];
}

/** DPO rows in the standard preference format (TRL) and LLaMA-Factory's ranking format. */
export interface PreferenceRow {
  id: number;
  prompt: string;
  chosen: string;
  rejected: string;
}

/** A TTT index entry: what retrieval matches on and what the model is then fine-tuned on. */
export interface TttRow {
  id: number;
  instruction: string;
  response: string;
  thought: string | null;
  summarization: string | null;
  primary: string | null;
  secondary: string | null;
}

/** TRL's conversational preference format: the chat template is applied to prompt, chosen and rejected. */
export interface ConversationalPreferenceRow {
  id: number;
  prompt: { role: "user"; content: string }[];
  chosen: { role: "assistant"; content: string }[];
  rejected: { role: "assistant"; content: string }[];
}

export type SplitRow = MessagesRow | PreferenceRow | ConversationalPreferenceRow | TttRow;

export function conversationalPreferenceRow(row: PreferenceRow): ConversationalPreferenceRow {
  return {
    id: row.id,
    prompt: [{ role: "user", content: row.prompt }],
    chosen: [{ role: "assistant", content: row.chosen }],
    rejected: [{ role: "assistant", content: row.rejected }],
  };
}

/** A row as the split queries (and the release layout's) return it; which fields are set depends on the split. */
export const rawSplitRow = z.object({
  id: z.number().int(),
  instruction: z.string(),
  response: z.string(),
  rejected: z.string().nullable(),
  thought: z.string().nullable(),
  summarization: z.string().nullable(),
  primary_id: z.number().int().nullable(),
  secondary_id: z.number().int().nullable(),
});
export type RawSplitRow = z.output<typeof rawSplitRow>;

export function messagesRow(raw: RawSplitRow): MessagesRow {
  return {
    id: raw.id,
    messages: [
      { role: "user", content: raw.instruction },
      { role: "assistant", content: raw.response },
    ],
  };
}

export function preferenceRow(raw: RawSplitRow): PreferenceRow {
  // The version only freezes pairs whose sides differ; this guards the file's contract anyway.
  if (raw.rejected === null || raw.rejected.trim() === raw.response.trim())
    throw new Error(`DPO row ${raw.id} has no distinct rejected answer`);
  return { id: raw.id, prompt: raw.instruction, chosen: raw.response, rejected: raw.rejected };
}

export function tttRow(raw: RawSplitRow, nameOf: (id: number | null) => string | null): TttRow {
  return {
    id: raw.id,
    instruction: raw.instruction,
    response: raw.response,
    thought: raw.thought,
    summarization: raw.summarization,
    primary: nameOf(raw.primary_id),
    secondary: nameOf(raw.secondary_id),
  };
}
