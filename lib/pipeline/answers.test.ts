import { describe, expect, it } from "vitest";
import { parseCommonAnswers, parseLongFormReasoning, pickPreferredAnswer } from "./answers";

describe("parseCommonAnswers", () => {
  it("parses Table 6's answer1/answer2, including multi-line answers with raw newlines", () => {
    const raw = '```json\n{"answer1": "Short answer.", "answer2": "Step 1: ...\nStep 2: ..."}\n```';
    expect(parseCommonAnswers(raw)).toEqual({ ok: true, value: { answer1: "Short answer.", answer2: "Step 1: ...\nStep 2: ..." } });
  });

  it.each([
    ['{"answer1": "A"}', /answer2/],
    ['{"answerl": "A", "answer2": "B"}', /answer1/],
    ['{"answer1": "", "answer2": "B"}', /empty answer1/],
    ["no json here", /no JSON object/],
  ])("rejects %j", (raw, reason) => {
    const result = parseCommonAnswers(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("pickPreferredAnswer", () => {
  const answers = { answer1: "first", answer2: "second" };

  it("keeps the answer with the higher reward", () => {
    expect(pickPreferredAnswer(answers, { answer1: 1.5, answer2: 2.25 })).toEqual({
      chosen: "answer2",
      text: "second",
      reward: 2.25,
      margin: 0.75,
    });
    expect(pickPreferredAnswer(answers, { answer1: -0.5, answer2: -3 })).toEqual({
      chosen: "answer1",
      text: "first",
      reward: -0.5,
      margin: 2.5,
    });
  });

  it("keeps answer1 on a tie, with margin 0", () => {
    expect(pickPreferredAnswer(answers, { answer1: 0.3, answer2: 0.3 })).toEqual({
      chosen: "answer1",
      text: "first",
      reward: 0.3,
      margin: 0,
    });
  });

  it("refuses non-finite rewards", () => {
    expect(() => pickPreferredAnswer(answers, { answer1: Number.NaN, answer2: 1 })).toThrow(RangeError);
    expect(() => pickPreferredAnswer(answers, { answer1: 1, answer2: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});

describe("parseLongFormReasoning", () => {
  const thought = "The patient has polyuria.\nConsider diabetes insipidus versus mellitus.";
  const summary = "Measure urine osmolality first.";

  it.each([
    ["bold", `**Thought**\n${thought}\n\n**Summarization**\n${summary}`],
    ["bold with colon", `**Thought:**\n${thought}\n**Summarization:** ${summary}`],
    ["markdown headings", `## Thought\n${thought}\n\n## Summarization\n${summary}\n`],
    ["heading with bold", `### **Thought**\n${thought}\n### **Summarization**\n${summary}`],
    ["plain labels", `Thought:\n${thought}\nSummarization:\n${summary}`],
    ["plain words with preamble", `Let me work through this.\n\nTHOUGHT\n${thought}\n\nSUMMARIZATION\n${summary}`],
    ["inline content after colon", `Thought: ${thought}\nSummarization: ${summary}`],
  ])("splits the %s style", (_style, raw) => {
    expect(parseLongFormReasoning(raw, "stop")).toEqual({ ok: true, value: { thought, summarization: summary } });
  });

  it("does not mistake prose starting with 'Thought' for a heading", () => {
    const raw = `**Thought**\nThought experiments help here.\nSummarization of the evidence is needed.\n**Summarization**\n${summary}`;
    expect(parseLongFormReasoning(raw, "stop")).toEqual({
      ok: true,
      value: { thought: "Thought experiments help here.\nSummarization of the evidence is needed.", summarization: summary },
    });
  });

  it.each([
    ["no Thought", `Some reasoning.\n**Summarization**\n${summary}`, /missing Thought/],
    ["no Summarization", `**Thought**\n${thought}\n**Summary**\n${summary}`, /missing Summarization/],
    ["wrong order", `**Summarization**\n${summary}\n**Thought**\n${thought}`, /before Thought/],
    ["empty Thought", `**Thought**\n\n**Summarization**\n${summary}`, /empty Thought/],
    ["empty Summarization", `**Thought**\n${thought}\n**Summarization**\n   \n`, /empty Summarization/],
  ])("rejects %s", (_case, raw, reason) => {
    const result = parseLongFormReasoning(raw, "stop");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("rejects a truncated answer even when both sections are present", () => {
    const raw = `**Thought**\n${thought}\n**Summarization**\n${summary}`;
    expect(parseLongFormReasoning(raw, "length")).toEqual({ ok: false, reason: 'reasoning was truncated (finish_reason "length")' });
    expect(parseLongFormReasoning(raw, null).ok).toBe(true);
  });
});
