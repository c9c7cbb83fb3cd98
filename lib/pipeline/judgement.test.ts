import { describe, expect, it } from "vitest";
import { parseJudgement } from "./judgement";

const expected = { quality: 8, difficulty: 7, relevanceToMedicine: 5, mentionsSpecificDetails: false };

function reasonOf(raw: string): string {
  const result = parseJudgement(raw);
  if (result.ok) throw new Error(`expected failure, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

describe("parseJudgement", () => {
  it("parses the exact format Table 5 asks for", () => {
    const raw = '{\n"quality": 8,\n"difficulty": 7,\n"Relevance2Medicine": 5,\n"MentionSpecificDetails": "False"\n}';
    expect(parseJudgement(raw)).toEqual({ ok: true, value: expected });
  });

  it("accepts a ```json fence with prose around it", () => {
    const raw =
      'Here is my evaluation:\n```json\n{"quality": 8, "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}\n```\nThe query is clear.';
    expect(parseJudgement(raw)).toEqual({ ok: true, value: expected });
  });

  it("accepts an object embedded in prose without a fence", () => {
    const raw = 'Sure. {"quality": 8, "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": false} Hope this helps.';
    expect(parseJudgement(raw)).toEqual({ ok: true, value: expected });
  });

  it('accepts "True"/"true"/true and Python True as booleans', () => {
    for (const value of ['"True"', '"true"', "true", "True", '" TRUE "']) {
      const result = parseJudgement(`{"quality": 8, "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": ${value}}`);
      expect(result).toEqual({ ok: true, value: { ...expected, mentionsSpecificDetails: true } });
    }
  });

  it('accepts numbers written as strings ("8")', () => {
    const raw = '{"quality": "8", "difficulty": " 7 ", "Relevance2Medicine": "5", "MentionSpecificDetails": "False"}';
    expect(parseJudgement(raw)).toEqual({ ok: true, value: expected });
  });

  it("accepts a trailing comma and differently-cased keys", () => {
    const raw = '{"Quality": 8, "Difficulty": 7, "relevance2medicine": 5, "MentionSpecificDetails": "False",}';
    expect(parseJudgement(raw)).toEqual({ ok: true, value: expected });
  });

  it("rejects out-of-range scores with the field in the reason", () => {
    expect(reasonOf('{"quality": 11, "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}')).toBe(
      "judge output: quality: must be an integer from 1 to 10, got 11",
    );
    expect(reasonOf('{"quality": 8, "difficulty": 0, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}')).toMatch(/difficulty/);
    // Relevance is 1–6, so 7 is out of range even though it would be a valid quality.
    expect(reasonOf('{"quality": 8, "difficulty": 7, "Relevance2Medicine": 7, "MentionSpecificDetails": "False"}')).toMatch(
      /Relevance2Medicine/,
    );
  });

  it("rejects non-integer scores instead of rounding them", () => {
    expect(reasonOf('{"quality": 8.5, "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}')).toMatch(/quality/);
    expect(reasonOf('{"quality": "8.5", "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}')).toMatch(/quality/);
    expect(reasonOf('{"quality": "8/10", "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}')).toMatch(/quality/);
    expect(reasonOf('{"quality": "high", "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}')).toMatch(/quality/);
  });

  it("rejects a missing key, naming it", () => {
    expect(reasonOf('{"quality": 8, "difficulty": 7, "MentionSpecificDetails": "False"}')).toBe(
      "judge output: Relevance2Medicine: missing",
    );
    expect(reasonOf('{"quality": 8, "difficulty": 7, "Relevance2Medicine": 5}')).toBe("judge output: MentionSpecificDetails: missing");
  });

  it("rejects booleans that are not clearly True/False", () => {
    for (const value of ['"yes"', '"no"', "1", '"maybe"', "null"]) {
      expect(reasonOf(`{"quality": 8, "difficulty": 7, "Relevance2Medicine": 5, "MentionSpecificDetails": ${value}}`)).toMatch(
        /MentionSpecificDetails/,
      );
    }
  });

  it("rejects output without JSON", () => {
    expect(reasonOf("")).toMatch(/empty/);
    expect(reasonOf("The quality is 8 and the difficulty is 7.")).toMatch(/no JSON object/);
  });

  it("reports every invalid field at once", () => {
    const reason = reasonOf('{"quality": 0, "difficulty": 11, "Relevance2Medicine": 5, "MentionSpecificDetails": "False"}');
    expect(reason).toMatch(/quality/);
    expect(reason).toMatch(/difficulty/);
  });
});
