import { afterEach, describe, expect, it } from "vitest";
import { classificationPrompt, generationPrompt, scoringPrompt } from "./paper-prompts.fixture";
import { startSimulator, type SimulatorHandle } from "./server";

// Raw HTTP checks of the simulator's contract; the client's own behaviour is tested in lib/llm.

const running: SimulatorHandle[] = [];
async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<SimulatorHandle> {
  const sim = await startSimulator(options);
  running.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

function chat(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("simulator server", () => {
  it("serves models, health and Prometheus metrics", async () => {
    const sim = await simulator({ models: ["Qwen/Qwen2.5-72B-Instruct"] });
    const models = (await (await fetch(`${sim.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["Qwen/Qwen2.5-72B-Instruct"]);
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    const metrics = await (await fetch(`${sim.url}/metrics`)).text();
    expect(metrics).toMatch(/^vllm:num_requests_running\{model_name="Qwen\/Qwen2.5-72B-Instruct"\} 1$/m);
    expect(metrics).toContain('finemed_sim_requests_total{endpoint="GET /v1/models"} 1');
  });

  it("rejects unknown models, bad JSON and unknown paths like vLLM", async () => {
    const sim = await simulator();
    expect((await chat(sim.url, { model: "other", messages: [{ role: "user", content: "hi" }] })).status).toBe(404);
    expect((await fetch(`${sim.url}/v1/chat/completions`, { method: "POST", body: "{nope" })).status).toBe(400);
    expect((await chat(sim.url, { messages: [] })).status).toBe(400);
    expect((await fetch(`${sim.url}/v2/anything`)).status).toBe(404);
  });

  it("returns deterministic OpenAI-shaped logprobs only when asked, lower for guessed labels", async () => {
    const sim = await simulator();
    type Reply = { choices: { message: { content: string }; logprobs: { content: { token: string; logprob: number }[] } | null }[] };
    const ask = async (response: string, logprobs: boolean): Promise<Reply["choices"][number]> => {
      const body = {
        messages: [{ role: "user", content: classificationPrompt("primary", "What should I do?", response) }],
        ...(logprobs ? { logprobs: true, top_logprobs: 1 } : {}),
      };
      return ((await (await chat(sim.url, body)).json()) as Reply).choices[0]!;
    };
    const confidence = (choice: Reply["choices"][number]): number => {
      const tokens = choice.logprobs!.content;
      return Math.exp(tokens.reduce((sum, t) => sum + t.logprob, 0) / tokens.length);
    };
    const clear =
      "Chest pain radiating to the arm with high blood pressure, heart failure and diabetes: see your physician for ECG, insulin and medication.";
    const vague = "It depends; please ask someone about it.";
    const sure = await ask(clear, true);
    expect(sure.logprobs!.content.map((t) => t.token).join("")).toBe(sure.message.content);
    for (const t of sure.logprobs!.content) expect(t.logprob).toBeLessThanOrEqual(0);
    expect(await ask(clear, true)).toEqual(sure);
    expect((await ask(clear, false)).logprobs).toBeNull();
    expect((await ask(clear, false)).message.content).toBe(sure.message.content);
    const unsure = await ask(vague, true);
    expect(confidence(sure)).toBeGreaterThan(0.8);
    expect(confidence(unsure)).toBeLessThan(0.5);
  });

  it("truncates at max_tokens with finish_reason length", async () => {
    const sim = await simulator();
    const reply = (await (
      await chat(sim.url, { messages: [{ role: "user", content: generationPrompt("Asthma and inhaled steroids.") }], max_tokens: 5 })
    ).json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(reply.choices[0]?.finish_reason).toBe("length");
    expect(reply.choices[0]?.message.content.length).toBeLessThanOrEqual(20);
    expect(reply.usage.completion_tokens).toBe(5);
  });

  it("injects the same faults for the same seed, and never more than maxFaultsPerRequest in a row", async () => {
    const statuses = async (): Promise<number[]> => {
      const sim = await simulator({ failRate: 0.5, seed: "faults", faultKinds: ["rate-limited", "unavailable"], retryAfterSeconds: 0 });
      const seen: number[] = [];
      for (let i = 0; i < 40; i++)
        seen.push((await chat(sim.url, { messages: [{ role: "user", content: scoringPrompt(`q${i}`) }] })).status);
      return seen;
    };
    const first = await statuses();
    expect(first).toEqual(await statuses());
    expect(new Set(first)).toEqual(new Set([200, 429, 503]));

    const always = await simulator({ failRate: 1, maxFaultsPerRequest: 2, faultKinds: ["unavailable"] });
    const body = { messages: [{ role: "user", content: "same request" }] };
    const repeated = [];
    for (let i = 0; i < 3; i++) repeated.push((await chat(always.url, body)).status);
    expect(repeated).toEqual([503, 503, 200]);
  });

  it("drops connections mid-request", async () => {
    const sim = await simulator({ failRate: 1, faultKinds: ["dropped"] });
    await expect(chat(sim.url, { messages: [{ role: "user", content: "hello" }] })).rejects.toThrow(TypeError);
    expect(sim.stats().faults.dropped).toBe(1);
  });

  it("corrupts content inside HTTP 200 at the garbage rate", async () => {
    const sim = await simulator({ garbageRate: 1 });
    const reply = await chat(sim.url, { messages: [{ role: "user", content: scoringPrompt("What is sepsis?") }], n: 4 });
    expect(reply.status).toBe(200);
    expect(sim.stats().garbageChoices).toBe(4);
  });

  it("requires the API key when configured", async () => {
    const sim = await simulator({ apiKey: "sk-sim" });
    expect((await chat(sim.url, { messages: [{ role: "user", content: "x" }] })).status).toBe(401);
    expect((await chat(sim.url, { messages: [{ role: "user", content: "x" }] }, { authorization: "Bearer sk-sim" })).status).toBe(200);
  });

  // 3 s of latency so that all 512 are in flight together even when a busy CI machine is slow to send
  // them; the 1 s-latency capacity figure comes from `npm run bench -- orchestration`.
  it("holds 512 concurrent requests", async () => {
    const sim = await simulator({ latencyMs: 3000 });
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 512 }, (_, i) =>
        chat(sim.url, { messages: [{ role: "user", content: scoringPrompt(`question ${i}`) }] }).then((r) => r.status),
      ),
    );
    expect(replies.every((s) => s === 200)).toBe(true);
    expect(sim.stats().maxInFlight).toBe(512);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
