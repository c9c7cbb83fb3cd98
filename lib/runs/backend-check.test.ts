import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SIM_MODEL, startSimulator, type SimulatorHandle } from "../simulator";
import { apiKeyEnvProblem, checkBackend, readBackendLoad, rolesAreSimulated } from "./backend-check";
import { runConfigSchema, singleServerRoles } from "./run-config";

const KEY_ENV = "FINEMED_BACKEND_KEY_TEST_CHECK";

let open: SimulatorHandle;
let keyed: SimulatorHandle;
let plain: Server;
let plainUrl: string;
let closedUrl: string;

/** A vLLM-shaped server that is not the simulator: models, and vLLM V1 metrics names. */
function startPlainServer(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "Qwen/Qwen2.5-72B-Instruct", object: "model" }] }));
      return;
    }
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(
        [
          "# TYPE vllm:num_requests_running gauge",
          'vllm:num_requests_running{model_name="Qwen/Qwen2.5-72B-Instruct"} 7',
          'vllm:num_requests_waiting{model_name="Qwen/Qwen2.5-72B-Instruct"} 3',
          'vllm:kv_cache_usage_perc{model_name="Qwen/Qwen2.5-72B-Instruct"} 0.42',
          "",
        ].join("\n"),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  open = await startSimulator({ seed: "backend-check" });
  keyed = await startSimulator({ seed: "backend-check", apiKey: "sk-test-secret" });
  plain = await startPlainServer();
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  // A port that was open a moment ago and is closed now refuses connections.
  const probe = await startPlainServer();
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  process.env[KEY_ENV] = "sk-test-secret";
});

afterAll(async () => {
  delete process.env[KEY_ENV];
  await open?.close();
  await keyed?.close();
  await new Promise((resolve) => plain?.close(resolve));
});

describe("checkBackend", () => {
  it("lists the simulator's models, times the call and reads its vLLM load metrics", async () => {
    const check = await checkBackend({ baseUrl: open.url, model: DEFAULT_SIM_MODEL });
    expect(check).toMatchObject({ ok: true, modelServed: true, models: [DEFAULT_SIM_MODEL], simulator: true });
    expect(check.reason).toBeUndefined();
    expect(typeof check.latencyMs).toBe("number");
    expect(check.latencyMs).toBeGreaterThanOrEqual(0);
    // /v1/models and /metrics go out together, so the simulator may count the other one as running.
    expect(check.load).toMatchObject({ requestsWaiting: 0, promptTokensTotal: 0, generationTokensTotal: 0 });
    expect(check.load?.requestsRunning).toBeGreaterThanOrEqual(0);
    expect(check.load?.requestsRunning).toBeLessThanOrEqual(2);
  });

  it("accepts a base URL that ends in /v1", async () => {
    const check = await checkBackend({ baseUrl: `${open.url}/v1/`, model: DEFAULT_SIM_MODEL });
    expect(check.ok).toBe(true);
  });

  it("fails with the served models named when the model is not served", async () => {
    const check = await checkBackend({ baseUrl: open.url, model: "Qwen/QwQ-32B-Preview" });
    expect(check.ok).toBe(false);
    expect(check.modelServed).toBe(false);
    expect(check.models).toEqual([DEFAULT_SIM_MODEL]);
    expect(check.reason).toBe(`the server serves ${DEFAULT_SIM_MODEL}, not Qwen/QwQ-32B-Preview`);
  });

  it("answers a closed port and a refused request alike, after the same wait (no port scanner)", async () => {
    const started = Date.now();
    const closed = await checkBackend({ baseUrl: closedUrl, model: DEFAULT_SIM_MODEL }, { timeoutMs: 1_000 });
    const closedMs = Date.now() - started;
    const refusing = await checkBackend({ baseUrl: keyed.url, model: DEFAULT_SIM_MODEL }, { timeoutMs: 1_000 });
    const refusedMs = Date.now() - started - closedMs;
    expect(closed.ok).toBe(false);
    expect(closed.latencyMs).toBeNull();
    expect(closed.reason).toMatch(/no OpenAI-compatible server listed its models/);
    expect(refusing.reason?.replace(keyed.url, "URL")).toBe(closed.reason?.replace(closedUrl, "URL"));
    expect(closedMs).toBeGreaterThanOrEqual(950);
    expect(refusedMs).toBeGreaterThanOrEqual(950);
  });

  it("sends the key named by apiKeyEnv, and says so when the server refuses", async () => {
    const withKey = await checkBackend({ baseUrl: keyed.url, model: DEFAULT_SIM_MODEL, apiKeyEnv: KEY_ENV });
    expect(withKey.ok).toBe(true);
    const without = await checkBackend({ baseUrl: keyed.url, model: DEFAULT_SIM_MODEL }, { timeoutMs: 200 });
    expect(without.ok).toBe(false);
    expect(without.reason).toMatch(/check the URL, the port and the API key/);
    expect(without.reason).not.toContain("sk-test-secret");
  });

  it("refuses an unset variable and a variable that is not a credential", async () => {
    const unset = await checkBackend({ baseUrl: keyed.url, model: DEFAULT_SIM_MODEL, apiKeyEnv: "FINEMED_BACKEND_KEY_TEST_UNSET" });
    expect(unset).toMatchObject({ ok: false, reason: "$FINEMED_BACKEND_KEY_TEST_UNSET is not set in the studio's environment" });
    const database = await checkBackend({ baseUrl: open.url, model: DEFAULT_SIM_MODEL, apiKeyEnv: "DATABASE_URL" });
    expect(database).toMatchObject({ ok: false, reason: expect.stringMatching(/studio's own settings or secrets/) });
    expect(apiKeyEnvProblem("VLLM_API_KEY")).toBeNull();
    expect(apiKeyEnvProblem("HF_TOKEN")).toMatch(/FINEMED_BACKEND_KEY_VARS/);
  });

  it("reads a real vLLM's metrics names and does not take it for the simulator", async () => {
    const check = await checkBackend({ baseUrl: plainUrl, model: "Qwen/Qwen2.5-72B-Instruct" });
    expect(check).toMatchObject({ ok: true, simulator: false, load: { requestsRunning: 7, requestsWaiting: 3, kvCacheUsage: 0.42 } });
  });

  it("keeps ok when /metrics is missing", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/v1/models") res.writeHead(200).end(JSON.stringify({ data: [{ id: "m" }] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const check = await checkBackend({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, model: "m" });
      expect(check).toMatchObject({ ok: true, load: null, simulator: false });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("readBackendLoad", () => {
  it("falls back to the older vLLM cache metric and leaves unreported fields out", () => {
    expect(readBackendLoad({ "vllm:gpu_cache_usage_perc": 0.5, "vllm:num_requests_running": 2 })).toEqual({
      kvCacheUsage: 0.5,
      requestsRunning: 2,
    });
  });
});

describe("rolesAreSimulated", () => {
  it("is true only when every role's server is the simulator", async () => {
    const simulated = runConfigSchema.parse({ corpus: "c", roles: singleServerRoles(open.url, DEFAULT_SIM_MODEL) });
    expect(await rolesAreSimulated(simulated.roles)).toBe(true);
    const mixed = runConfigSchema.parse({
      corpus: "c",
      roles: { ...singleServerRoles(open.url, DEFAULT_SIM_MODEL), reasoner: { baseUrl: plainUrl, model: "Qwen/Qwen2.5-72B-Instruct" } },
    });
    expect(await rolesAreSimulated(mixed.roles)).toBe(false);
  });
});
