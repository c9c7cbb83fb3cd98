import { afterEach, describe, expect, it } from "vitest";
import { generationPrompt, reasoningPrompt, responsePairPrompt, scoringPrompt } from "./paper-prompts.fixture";
import { startSimulator, type SimulatorHandle } from "./server";
import { INJECTION_PAYLOADS } from "./injection-payloads";

const running: SimulatorHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function answer(sim: SimulatorHandle, prompt: string, n = 1): Promise<string[]> {
  const response = await fetch(`${sim.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: prompt }], n }),
  });
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return body.choices.map((choice) => choice.message.content);
}

const TEXT = "Metformin lowers HbA1c in type 2 diabetes and is the usual first-line therapy in adults.";
const carriesPayload = (content: string) => INJECTION_PAYLOADS.some((payload) => content.includes(payload));

describe("simulator injectPayloads", () => {
  it("plants payloads in instructions, answers and reasoning, keeps JSON valid and scores untouched, deterministically", async () => {
    const sim = await startSimulator({ injectPayloads: true, seed: "payloads" });
    running.push(sim);
    const generated = await answer(sim, generationPrompt(TEXT), 8);
    for (const content of generated) {
      const parsed = JSON.parse(content) as { question1: string; question2: string };
      expect(carriesPayload(parsed.question1) && carriesPayload(parsed.question2)).toBe(true);
    }
    const pair = JSON.parse((await answer(sim, responsePairPrompt("What is metformin?", TEXT)))[0]!) as {
      answer1: string;
      answer2: string;
    };
    expect(carriesPayload(pair.answer1)).toBe(true);
    const reasoning = (await answer(sim, reasoningPrompt("What is metformin?", TEXT)))[0]!;
    expect(reasoning).toMatch(/\*\*Thought\*\*[\s\S]*\*\*Summarization\*\*/);
    expect(carriesPayload(reasoning)).toBe(true);
    const scores = JSON.parse((await answer(sim, scoringPrompt("What is metformin?")))[0]!) as Record<string, unknown>;
    expect(typeof scores.quality).toBe("number");
    expect(await answer(sim, generationPrompt(TEXT), 8)).toEqual(generated);
  });

  it("is off by default: answers carry no payload", async () => {
    const sim = await startSimulator({ seed: "payloads" });
    running.push(sim);
    for (const content of await answer(sim, generationPrompt(TEXT), 8)) expect(carriesPayload(content)).toBe(false);
  });

  it("puts a payload in front of invalid outputs too", async () => {
    const sim = await startSimulator({ injectPayloads: true, garbageRate: 1, seed: "payloads" });
    running.push(sim);
    for (const content of await answer(sim, generationPrompt(TEXT), 4)) expect(carriesPayload(content.split("\n")[0]!)).toBe(true);
  });
});
