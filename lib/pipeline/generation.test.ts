import { describe, expect, it } from "vitest";
import { parseGeneratedInstructions } from "./generation";

describe("parseGeneratedInstructions", () => {
  it("parses Table 4's format and trims the questions", () => {
    const raw = '{\n"question1": "  How does metformin lower blood glucose? ",\n"question2": "What are the risks of lactic acidosis?"\n}';
    expect(parseGeneratedInstructions(raw)).toEqual({
      ok: true,
      value: { question1: "How does metformin lower blood glucose?", question2: "What are the risks of lactic acidosis?" },
    });
  });

  it("accepts fenced output with prose", () => {
    const raw = 'Here are the questions:\n```json\n{"question1": "A?", "question2": "B?"}\n```';
    expect(parseGeneratedInstructions(raw)).toEqual({ ok: true, value: { question1: "A?", question2: "B?" } });
  });

  it.each([
    ['{"question1": "A?"}', /question2: missing/],
    ['{"question1": "A?", "question2": 3}', /question2/],
    ['{"question1": "   ", "question2": "B?"}', /empty question1/],
    ['{"question1": "", "question2": ""}', /empty question1 and question2/],
    ['{"question1": "What is asthma?", "question2": "what is  asthma?"}', /identical/],
    ["I cannot generate questions for this text.", /no JSON object/],
  ])("rejects %j", (raw, reason) => {
    const result = parseGeneratedInstructions(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
