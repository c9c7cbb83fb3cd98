import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from "../simulator/index";
import { classificationPrompt, generationPrompt, reasoningPrompt, scoringPrompt } from "../simulator/paper-prompts.fixture";
import { BackendError } from "./backend-error";
import { createBackendClient, type BackendClientOptions } from "./client";
import type { RoleBackendConfigInput } from "./roles";

// Against the real simulator on an ephemeral port: no fetch mocks, so keep-alive, dropped sockets and
// timeouts behave as they do against vLLM.

const MODEL = "simulated/finemed-sim";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function simulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const sim = await startSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

function client(sim: { url: string }, config: Partial<RoleBackendConfigInput> = {}, options: BackendClientOptions = {}) {
  return createBackendClient(
    { role: "generator", baseUrl: sim.url, model: MODEL, ...config },
    { retryBaseMs: 2, retryMaxMs: 20, ...options },
  );
}

const user = (content: string) => [{ role: "user" as const, content }];

async function backendError(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error("expected a BackendError");
}

describe("backend client against the simulator", () => {
  it("gets the same answer for the same request, with usage and n choices", async () => {
    const sim = await simulator();
    const generator = client(sim);
    const request = { messages: user(generationPrompt("Warfarin requires INR monitoring because of bleeding risk.")), n: 3 };
    const first = await generator.chat(request);
    const second = await generator.chat(request);
    expect(first.result.choices.map((c) => c.content)).toEqual(second.result.choices.map((c) => c.content));
    expect(first.result.choices).toHaveLength(3);
    expect(new Set(first.result.choices.map((c) => c.index))).toEqual(new Set([0, 1, 2]));
    expect(first.result.choices[0]?.finishReason).toBe("stop");
    expect(first.usage.promptTokens).toBeGreaterThan(10);
    expect(first.usage.completionTokens).toBeGreaterThan(10);
    expect(first).toMatchObject({ attempts: 1, httpStatus: 200 });
    expect(first.latencyMs).toBeGreaterThan(0);
    const other = await generator.chat({ messages: user(reasoningPrompt("Why monitor INR?", "Warfarin.")) });
    expect(other.result.choices[0]?.content).toContain("**Summarization**");
  });

  it("sends response_format and sampling, json_schema only where structured outputs are enabled", async () => {
    const sim = await simulator();
    const schema = { name: "scores", schema: { type: "object" } };
    const structured = client(sim, { structuredOutputs: true, sampling: { temperature: 0.7, max_tokens: 512, seed: 1 } });
    const plain = client(sim, { structuredOutputs: false });
    const request = { messages: user(scoringPrompt("What causes anemia?")), jsonSchema: schema };
    expect(structured.chatCallKey(request)).not.toBe(plain.chatCallKey(request));
    const reply = await structured.chat(request);
    // With JSON requested a real server does not fence the output.
    expect(() => JSON.parse(reply.result.choices[0]?.content ?? "")).not.toThrow();
    expect(structured.chatCallKey(request)).toBe(structured.chatCallKey({ ...request }));
  });

  it("embeds, rewards, lists models and reads metrics", async () => {
    const sim = await simulator();
    const embedder = client(sim, { role: "embedder" });
    const vectors = await embedder.embed(["insulin and glucose", "a fractured femur"], { dimensions: 64 });
    expect(vectors.result.map((v) => v.length)).toEqual([64, 64]);
    expect((await embedder.embed(["x"])).result[0]).toHaveLength(1024);

    const reward = client(sim, { role: "reward" });
    const pairs = [
      {
        prompt: "How is asthma treated?",
        response: "Inhaled corticosteroids control airway inflammation; add a bronchodilator for relief.",
      },
      { prompt: "How is asthma treated?", response: "Rest." },
    ];
    const pooled = await reward.reward(pairs);
    expect(pooled.result).toHaveLength(2);
    expect(pooled.result).toEqual((await reward.reward(pairs)).result);
    const classified = await reward.reward(pairs, { endpoint: "classify" });
    expect(classified.result.every((p) => p > 0 && p < 1)).toBe(true);

    expect((await embedder.models()).result).toEqual([MODEL]);
    expect((await embedder.health()).result).toBe(true);
    const metrics = (await embedder.metrics()).result;
    expect(metrics["vllm:num_requests_running"]).toBe(1);
    expect(metrics["finemed_sim_requests_total"]).toBeGreaterThanOrEqual(6);
  });

  it("retries through injected 429, 503 and dropped connections", async () => {
    const sim = await simulator({ failRate: 0.3, retryAfterSeconds: 0, seed: "retry" });
    const generator = client(sim, { maxInFlight: 16, maxRetries: 5 });
    const replies = await Promise.all(
      Array.from({ length: 150 }, (_, i) => generator.chat({ messages: user(scoringPrompt(`Question ${i} about sepsis?`)) })),
    );
    expect(replies.every((r) => r.httpStatus === 200 && r.result.choices.length === 1)).toBe(true);
    expect(replies.some((r) => r.attempts > 1)).toBe(true);
    const faults = sim.stats().faults;
    expect(faults["rate-limited"]).toBeGreaterThan(0);
    expect(faults.unavailable).toBeGreaterThan(0);
    expect(faults.dropped).toBeGreaterThan(0);
    expect(replies.reduce((sum, r) => sum + r.attempts, 0)).toBe(150 + faults["rate-limited"] + faults.unavailable + faults.dropped);
  });

  it("honours Retry-After", async () => {
    const sim = await simulator({ failRate: 1, maxFaultsPerRequest: 1, faultKinds: ["rate-limited"], retryAfterSeconds: 1 });
    const started = performance.now();
    const reply = await client(sim).chat({ messages: user("wait for me") });
    expect(reply.attempts).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(reply.latencyMs).toBeGreaterThanOrEqual(990);
  });

  it("gives up after maxRetries and does not retry 4xx", async () => {
    const sim = await simulator({ failRate: 1, maxFaultsPerRequest: 10, faultKinds: ["unavailable"], retryAfterSeconds: 0 });
    const exhausted = await backendError(client(sim, { maxRetries: 2 }).chat({ messages: user("x") }));
    expect(exhausted).toMatchObject({ kind: "http", status: 503, attempts: 3 });

    const healthy = await simulator();
    const wrongModel = await backendError(client(healthy, { model: "no/such-model" }).chat({ messages: user("x") }));
    expect(wrongModel).toMatchObject({ kind: "http", status: 404, attempts: 1 });
    expect(wrongModel.bodyExcerpt).toContain("does not exist");
    const badRequest = await backendError(client(healthy).chat({ messages: [] }));
    expect(badRequest).toMatchObject({ kind: "http", status: 400, attempts: 1 });
    expect(healthy.stats().requests).toBe(2);
  });

  it("times out slow answers and retries them", async () => {
    const sim = await simulator({ latencyMs: 400 });
    const started = performance.now();
    const error = await backendError(client(sim, { timeoutMs: 100, maxRetries: 1 }).chat({ messages: user("slow") }));
    expect(error).toMatchObject({ kind: "timeout", attempts: 2 });
    expect(performance.now() - started).toBeLessThan(400);
    expect((await client(sim, { timeoutMs: 2000 }).chat({ messages: user("slow") })).attempts).toBe(1);
  });

  it("opens the circuit when the server is gone and recovers when it comes back on the same port", async () => {
    let sim = await startSimulator();
    const port = sim.port;
    cleanups.push(() => sim.close());
    const circuit = { failureThreshold: 3, coolDownMs: 600 };
    const impatient = client(sim, { maxRetries: 0 }, { circuit, circuitWaitMs: 50 });
    const patient = client(sim, { maxRetries: 0 }, { circuit, circuitWaitMs: 5_000 });
    await impatient.chat({ messages: user("up") });
    await sim.close();

    for (let i = 0; i < 3; i++) expect((await backendError(impatient.chat({ messages: user(`down ${i}`) }))).kind).toBe("connection");
    expect(impatient.circuitState()).toMatchObject({ state: "open", opens: 1 });
    // The breaker is shared per base URL: both clients see it.
    expect(patient.circuitState().state).toBe("open");
    expect(await backendError(impatient.chat({ messages: user("refused at once") }))).toMatchObject({ kind: "circuit-open", attempts: 0 });

    sim = await startSimulator({ port });
    const started = performance.now();
    // Callers wait out the cool-down, one probe goes through, the rest follow once it succeeded.
    const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => patient.chat({ messages: user(`back ${i}`) })));
    expect(replies.every((r) => r.httpStatus === 200)).toBe(true);
    expect(performance.now() - started).toBeGreaterThan(300);
    expect(patient.circuitState()).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(sim.stats().requests).toBe(5);
  });

  it("returns garbage model output as-is", async () => {
    const sim = await simulator({ garbageRate: 1 });
    const reply = await client(sim).chat({ messages: user(scoringPrompt("What is the role of ferritin?")), n: 5 });
    expect(reply.httpStatus).toBe(200);
    expect(reply.result.choices).toHaveLength(5);
    const broken = reply.result.choices.filter((choice) => {
      try {
        const parsed = JSON.parse(choice.content) as Record<string, unknown>;
        const inRange = (v: unknown, lo: number, hi: number) => typeof v === "number" && v >= lo && v <= hi;
        return !(
          inRange(parsed.quality, 1, 10) &&
          inRange(parsed.difficulty, 1, 10) &&
          inRange(parsed.Relevance2Medicine, 1, 6) &&
          "MentionSpecificDetails" in parsed
        );
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(5);
  });

  it("asks for logprobs only when requested and parses them per choice", async () => {
    const sim = await simulator();
    const classifier = client(sim);
    const messages = user(classificationPrompt("primary", "Why does my chest hurt?", "Chest pain with high blood pressure needs an ECG."));
    const plain = await classifier.chat({ messages });
    expect(plain.result.choices[0]).not.toHaveProperty("logprobs");
    const withLogprobs = await classifier.chat({ messages, logprobs: { top: 1 } });
    const choice = withLogprobs.result.choices[0]!;
    expect(choice.content).toBe(plain.result.choices[0]!.content);
    expect(choice.logprobs!.length).toBeGreaterThan(0);
    expect(choice.logprobs!.map((t) => t.token).join("")).toBe(choice.content);
    // Logprobs change the answer's payload, so they are part of the call's key.
    expect(classifier.chatCallKey({ messages, logprobs: { top: 1 } })).not.toBe(classifier.chatCallKey({ messages }));
  });

  it("reads OpenAI logprobs.content and skips malformed tokens without failing the call", async () => {
    let seen: Record<string, unknown> = {};
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      req.on("end", () => {
        seen = JSON.parse(raw) as Record<string, unknown>;
        const logprobs = {
          content: [
            { token: "Sur", logprob: -0.1, top_logprobs: [] },
            { token: "gery", logprob: "bad" },
            { token: "gery", logprob: -0.3 },
          ],
        };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            choices: [
              { index: 0, message: { content: "Surgery" }, logprobs, finish_reason: "stop" },
              { index: 1, message: { content: "x" }, logprobs: null },
            ],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reply = await client({ url }).chat({ messages: user("x"), logprobs: { top: 3 } });
    expect(seen).toMatchObject({ logprobs: true, top_logprobs: 3 });
    expect(reply.result.choices[0]?.logprobs).toEqual([
      { token: "Sur", logprob: -0.1 },
      { token: "gery", logprob: -0.3 },
    ]);
    expect(reply.result.choices[1]).not.toHaveProperty("logprobs");
  });

  it("reports a non-JSON HTTP body as invalid-response", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>proxy error</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await backendError(client({ url }).chat({ messages: user("x") }));
    expect(error).toMatchObject({ kind: "invalid-response", status: 200, attempts: 1 });
    expect(error.bodyExcerpt).toContain("proxy error");
  });

  it("never leaks the API key in errors", async () => {
    const sim = await simulator({ apiKey: "sk-right" });
    const secret = "sk-super-secret-4242";
    const error = await backendError(client(sim, { apiKey: secret }).chat({ messages: user("x") }));
    expect(error).toMatchObject({ kind: "http", status: 401 });
    for (const rendering of [
      error.message,
      error.bodyExcerpt ?? "",
      String(error),
      inspect(error),
      JSON.stringify(error),
      error.stack ?? "",
    ]) {
      expect(rendering).not.toContain(secret);
    }
    expect(error.bodyExcerpt).toContain("[redacted]");
    expect((await client(sim, { apiKey: "sk-right" }).chat({ messages: user("x") })).httpStatus).toBe(200);
  });

  it("accepts a /v1 base URL and keeps max in flight per role", async () => {
    const sim = await simulator({ latencyMs: 50 });
    const limited = client({ url: `${sim.url}/v1/` }, { maxInFlight: 4 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => limited.chat({ messages: user(`limit ${i}`) })));
    expect(sim.stats().maxInFlight).toBe(4);
    expect(limited.load()).toEqual({ inFlight: 0, waiting: 0 });
  });
});
