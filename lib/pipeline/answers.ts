import { z } from "zod";
import { extractJsonObject } from "./parse";
import { describeSchemaIssues } from "./schema-issues";

// --- Common instructions: Table 6 (first) gives two styled answers, a reward model keeps one.

const CommonAnswersSchema = z.object({ answer1: z.string(), answer2: z.string() });

export interface CommonAnswers {
  answer1: string;
  answer2: string;
}

export type CommonAnswersParse = { ok: true; value: CommonAnswers } | { ok: false; reason: string };

export function parseCommonAnswers(raw: string): CommonAnswersParse {
  const json = extractJsonObject(raw);
  if (!json.ok) return json;
  const parsed = CommonAnswersSchema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, reason: `generator output: ${describeSchemaIssues(parsed.error, json.value)}` };
  }
  const answer1 = parsed.data.answer1.trim();
  const answer2 = parsed.data.answer2.trim();
  const empty = [answer1 ? null : "answer1", answer2 ? null : "answer2"].filter(Boolean);
  if (empty.length > 0) return { ok: false, reason: `empty ${empty.join(" and ")}` };
  return { ok: true, value: { answer1, answer2 } };
}

export interface PreferredAnswer {
  chosen: "answer1" | "answer2";
  text: string;
  reward: number;
  /** chosen reward minus the other's; 0 on a tie. */
  margin: number;
}

// The paper does not say how a reward tie is broken; answer1 is kept so the choice is
// deterministic without a seed, and a tie shows as margin 0 for curators to review.
export function pickPreferredAnswer(answers: CommonAnswers, rewards: { answer1: number; answer2: number }): PreferredAnswer {
  if (!Number.isFinite(rewards.answer1) || !Number.isFinite(rewards.answer2)) {
    throw new RangeError(`reward scores must be finite numbers, got ${rewards.answer1} and ${rewards.answer2}`);
  }
  if (rewards.answer2 > rewards.answer1) {
    return { chosen: "answer2", text: answers.answer2, reward: rewards.answer2, margin: rewards.answer2 - rewards.answer1 };
  }
  return { chosen: "answer1", text: answers.answer1, reward: rewards.answer1, margin: rewards.answer1 - rewards.answer2 };
}

// --- Complex instructions: Table 6 (second) asks for "two main sections: Thought and Summarization".

export interface LongFormReasoning {
  thought: string;
  summarization: string;
}

export type ReasoningParse = { ok: true; value: LongFormReasoning } | { ok: false; reason: string };

type SectionName = "thought" | "summarization";

interface SectionHeading {
  name: SectionName;
  line: number;
  /** Text after "Thought:" on the heading line itself. */
  inline: string;
}

// Matches "**Thought**", "## Thought", "### **Thought:**", "Thought:", "THOUGHT". Without a colon
// or bold markup the word must stand alone on its line, so prose such as "Thought experiments show"
// is not mistaken for a heading.
const HEADING = /^\s*(#{1,6}\s*)?(\*\*|__)?\s*(thought|summarization)\s*(:)?\s*(\*\*|__)?\s*(:)?(.*)$/i;

function headingOf(line: string, index: number): SectionHeading | undefined {
  const match = HEADING.exec(line);
  if (!match) return undefined;
  const rest = (match[7] ?? "").trim();
  const hasColon = match[4] !== undefined || match[6] !== undefined;
  const isBold = match[2] !== undefined && match[5] !== undefined;
  if (rest !== "" && !hasColon && !isBold) return undefined;
  return { name: (match[3] ?? "").toLowerCase() as SectionName, line: index, inline: rest };
}

function sectionText(lines: string[], heading: SectionHeading, end: number): string {
  return [heading.inline, ...lines.slice(heading.line + 1, end)].join("\n").trim();
}

/**
 * Splits the reasoner's answer into its Thought and Summarization sections. A truncated answer
 * (finish_reason "length") is rejected even when both headings exist: its end is missing.
 */
export function parseLongFormReasoning(raw: string, finishReason: string | null | undefined): ReasoningParse {
  if (finishReason === "length") {
    return { ok: false, reason: 'reasoning was truncated (finish_reason "length")' };
  }
  const lines = raw.split(/\r?\n/);
  const headings = lines.map(headingOf).filter((heading): heading is SectionHeading => heading !== undefined);
  const thought = headings.find((heading) => heading.name === "thought");
  if (!thought) return { ok: false, reason: "missing Thought section" };
  const summarization = headings.find((heading) => heading.name === "summarization" && heading.line > thought.line);
  if (!summarization) {
    const early = headings.some((heading) => heading.name === "summarization");
    return { ok: false, reason: early ? "Summarization section comes before Thought" : "missing Summarization section" };
  }
  const value = {
    thought: sectionText(lines, thought, summarization.line),
    summarization: sectionText(lines, summarization, lines.length),
  };
  if (!value.thought) return { ok: false, reason: "empty Thought section" };
  if (!value.summarization) return { ok: false, reason: "empty Summarization section" };
  return { ok: true, value };
}
