import { describe, expect, it } from "vitest";
import { buildAnswer } from "./chat-answers";
import { combineHash, createSeededRandom, fnv1a } from "./determinism";
import { corruptAnswer } from "./garbage";
import { classificationPrompt, generationPrompt, reasoningPrompt, responsePairPrompt, scoringPrompt } from "./paper-prompts.fixture";
import { detectStep } from "./step-detection";

function answer(prompt: string, choice = 0, jsonRequested = true): string {
  const random = createSeededRandom(combineHash(fnv1a(prompt), choice));
  return buildAnswer(detectStep(prompt), { prompt, jsonRequested, random });
}

describe("simulated answers", () => {
  it("generates two questions from the words of the source text", () => {
    const text = "Hypothyroidism is treated with levothyroxine; thyroid stimulating hormone guides dosing in hypothyroidism.";
    const parsed = JSON.parse(answer(generationPrompt(text))) as Record<string, string>;
    expect(Object.keys(parsed)).toEqual(["question1", "question2"]);
    expect(parsed.question1).not.toBe(parsed.question2);
    expect(`${parsed.question1} ${parsed.question2}`).toMatch(/hypothyroidism|levothyroxine|thyroid|stimulating|hormone/);
  });

  it("is deterministic for a prompt and choice, and varies across choices", () => {
    const prompt = generationPrompt("Asthma exacerbations respond to inhaled corticosteroids and bronchodilators.");
    expect(answer(prompt, 0)).toBe(answer(prompt, 0));
    const variants = new Set(Array.from({ length: 8 }, (_, i) => answer(prompt, i)));
    expect(variants.size).toBeGreaterThan(1);
  });

  it("scores with a realistic spread", () => {
    const scores = Array.from(
      { length: 2000 },
      (_, i) => JSON.parse(answer(scoringPrompt(`How does drug number ${i} affect renal clearance?`))) as Record<string, unknown>,
    );
    const quality = scores.map((s) => s.quality as number);
    const difficulty = scores.map((s) => s.difficulty as number);
    const relevance = scores.map((s) => s.Relevance2Medicine as number);
    expect(Math.min(...quality)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...quality)).toBeLessThanOrEqual(10);
    expect(Math.min(...difficulty)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...difficulty)).toBeLessThanOrEqual(10);
    expect(Math.min(...relevance)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...relevance)).toBeLessThanOrEqual(6);
    const complexShare = difficulty.filter((d) => d >= 8).length / difficulty.length;
    expect(complexShare).toBeGreaterThan(0.15);
    expect(complexShare).toBeLessThan(0.3);
    const mentions = scores.filter((s) => s.MentionSpecificDetails === "True").length / scores.length;
    expect(mentions).toBeGreaterThan(0.1);
    expect(mentions).toBeLessThan(0.35);
    expect(new Set(scores.map((s) => s.MentionSpecificDetails))).toEqual(new Set(["True", "False"]));
  });

  it("answers the response pair as answer1/answer2 JSON", () => {
    const parsed = JSON.parse(answer(responsePairPrompt("How is gout treated?", "Colchicine and allopurinol treat gout."))) as Record<
      string,
      string
    >;
    expect(Object.keys(parsed)).toEqual(["answer1", "answer2"]);
    expect(parsed.answer1).not.toBe(parsed.answer2);
  });

  it("writes long-form reasoning with Thought and Summarization sections", () => {
    const text = answer(reasoningPrompt("Why does heart failure cause edema?", "Heart failure raises venous pressure."));
    expect(text).toMatch(/^\*\*Thought\*\*\n/);
    expect(text).toContain("\n**Summarization**\n");
    expect(text.length).toBeGreaterThan(400);
  });

  it("classifies by dialogue keywords with free-text noise", () => {
    const labels = (group: string, patient: string, doctor: string): string[] =>
      Array.from({ length: 200 }, (_, i) => answer(classificationPrompt(group, `${patient} (case ${i})`, doctor)));
    const primary = labels("primary", "My insulin dose and diabetes control worry me.", "Check your glucose and thyroid.");
    expect(primary.filter((l) => l === "Internal Medicine").length).toBeGreaterThan(140);
    const secondary = labels("Internal Medicine", "My insulin dose and diabetes control worry me.", "Check your glucose.");
    expect(secondary.filter((l) => /^endocrinology\.?$/i.test(l)).length).toBeGreaterThan(170);
    expect(secondary.some((l) => l !== "Endocrinology")).toBe(true);
    const surgery = labels("primary", "I have a wrist fracture.", "The bone needs surgery.");
    expect(surgery.filter((l) => /^surgery\.?$/i.test(l)).length).toBeGreaterThan(150);
    const ent = labels("primary", "I have tinnitus and sinus pain.", "Your ear and nasal passages need checking.");
    expect(ent.some((l) => l === "ENT")).toBe(true);
    const none = labels("Obstetrics and Gynecology", "My knee hurts when running.", "Rest the knee.");
    expect(none.filter((l) => /^none\.?$/i.test(l)).length).toBeGreaterThan(120);
  });

  it("answers unknown prompts with plain text", () => {
    expect(answer("Summarise the role of vitamin D in bone health.")).toMatch(/^Based on the information provided/);
  });

  it("corrupts answers in the ways real models fail", () => {
    const kinds = new Set<string>();
    const prompt = scoringPrompt("What is the first-line therapy for hypertension?");
    for (let i = 0; i < 60; i++) {
      const corrupted = corruptAnswer("instruction-scoring", answer(prompt, 0), createSeededRandom(i));
      kinds.add(corrupted.kind);
      if (corrupted.kind === "invalid-json") expect(() => JSON.parse(corrupted.content)).toThrow();
    }
    expect(kinds).toEqual(new Set(["invalid-json", "missing-key", "out-of-range"]));
  });
});
