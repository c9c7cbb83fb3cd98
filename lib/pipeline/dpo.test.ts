import { describe, expect, it } from "vitest";
import { buildDpoPair } from "./dpo";

describe("buildDpoPair", () => {
  const prompt = "Why does hyperkalemia cause peaked T waves?";
  const chosen = "**Thought**\nPotassium affects repolarisation...\n**Summarization**\nFaster repolarisation.";
  const rejected = "Because potassium is high.";

  it("keeps the texts exactly as given", () => {
    expect(buildDpoPair({ prompt, chosen, rejected })).toEqual({ ok: true, value: { prompt, chosen, rejected } });
  });

  it.each([
    [{ prompt, chosen, rejected: chosen }, /identical/],
    [{ prompt, chosen: ` ${rejected}\n`, rejected }, /identical/],
    [{ prompt, chosen: "  ", rejected }, /empty chosen/],
    [{ prompt, chosen, rejected: "" }, /empty rejected/],
    [{ prompt: "", chosen, rejected }, /empty prompt/],
  ])("rejects %j", (input, reason) => {
    const result = buildDpoPair(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
