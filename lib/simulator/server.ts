import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildScoredAnswer, tokenLogprobs } from "./chat-answers";
import { combineHash, createSeededRandom, fnv1a } from "./determinism";
import { embedText } from "./embeddings";
import { FAULT_KINDS, FaultPlanner, type FaultKind } from "./faults";
import { corruptAnswer } from "./garbage";
import { valueForSchema } from "./schema-answer";
import { injectIntoGarbage, injectPayloads } from "./injection-payloads";
import { emptyStats, increment, renderPrometheus, type KvCacheMetricName, type SimulatorStats } from "./metrics";
import { rewardScore } from "./reward-scores";
import { detectStep } from "./step-detection";

// Plain node:http rather than a framework: zero dependencies and the cheapest hot path, since the
// simulator must outrun the pipeline it stands in for (thousands of requests per second on two cores).

export interface SimulatorOptions {
  /** 0 (default) picks a free ephemeral port. */
  port?: number;
  host?: string;
  /** Delay before every successful (or dropped) response. */
  latencyMs?: number;
  /** Share of attempts answered with 429, 503 or a dropped connection. */
  failRate?: number;
  /** Share of choices whose content breaks the requested format inside an HTTP 200. */
  garbageRate?: number;
  seed?: string;
  /** Served model names; requests naming another model get 404 like vLLM. */
  models?: readonly string[];
  /** Retry-After sent with injected 429/503, in whole seconds (default 1). */
  retryAfterSeconds?: number;
  faultKinds?: readonly FaultKind[];
  /** A request is failed at most this many times in a row, so retries always get through (default 3). */
  maxFaultsPerRequest?: number;
  /** When set, requests must carry "Authorization: Bearer <apiKey>". */
  apiKey?: string;
  /**
   * Plant hostile strings (script tags, javascript: links, control characters, huge words…) in the
   * free text of every answer and invalid output, deterministically; off by default.
   */
  injectPayloads?: boolean;
  /** Every secondary classification (Tables 8–13) answers with text naming no department, as an unsure model does. */
  unresolvableSecondary?: boolean;
  /**
   * Ignore `response_format: json_schema` (and `structured_outputs`) the way vLLM 0.12 ignores the removed
   * `guided_*` fields: HTTP 200, unconstrained output. Off by default: prompts without a scripted answer
   * then get a value the schema accepts, as from guided decoding.
   */
  ignoreSchemas?: boolean;
  /** The name /metrics gives the KV-cache gauge (default vLLM V1's `vllm:kv_cache_usage_perc`). */
  kvCacheMetric?: KvCacheMetricName;
  /** Requests (chat, embeddings, reward) served at once; more get 429 at once. Unlimited by default. */
  capacity?: number;
}

export interface SimulatorHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): SimulatorStats;
  /** Changes the capacity mid-run (undefined: unlimited). */
  setCapacity(requests: number | undefined): void;
}

export const DEFAULT_SIM_MODEL = "simulated/finemed-sim";
const MAX_BODY_CHARS = 64 * 1024 * 1024;
const MAX_CHOICES = 128;
const MAX_DIMENSIONS = 8192;

class RequestProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ChatMessage {
  role: string;
  content: string;
}

/** The JSON schema a chat request asks the output to follow, in OpenAI's or vLLM's spelling. */
function requestedSchema(body: Record<string, unknown>): unknown {
  const format = body.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type === "json_schema" && format.json_schema?.schema !== undefined) return format.json_schema.schema;
  const structured = body.structured_outputs as { json?: unknown } | undefined;
  return structured?.json;
}

function assertRate(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const failRate = options.failRate ?? 0;
  const garbageRate = options.garbageRate ?? 0;
  const latencyMs = options.latencyMs ?? 0;
  assertRate("failRate", failRate);
  assertRate("garbageRate", garbageRate);
  if (!(latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${latencyMs}`);
  const models = options.models && options.models.length > 0 ? [...options.models] : [DEFAULT_SIM_MODEL];
  const servedModel = models[0] ?? DEFAULT_SIM_MODEL;
  const seedHash = fnv1a(options.seed ?? "finemed");
  const retryAfter = String(Math.max(0, Math.round(options.retryAfterSeconds ?? 1)));
  const expectedAuth = options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`;
  const planner = new FaultPlanner({
    seedHash,
    failRate,
    garbageRate,
    faultKinds: options.faultKinds ?? FAULT_KINDS,
    maxFaultsPerRequest: options.maxFaultsPerRequest ?? 3,
  });
  const stats = emptyStats();
  const timers = new Set<NodeJS.Timeout>();
  const created = Math.floor(Date.now() / 1000);
  let sequence = 0;

  function send(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
    if (res.writableEnded || res.destroyed) return;
    increment(stats.byStatus, String(status));
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  }

  function sendError(res: ServerResponse, status: number, message: string, headers?: Record<string, string>): void {
    const type =
      status === 404
        ? "NotFoundError"
        : status === 401
          ? "AuthenticationError"
          : status === 429
            ? "RateLimitError"
            : status === 503
              ? "ServiceUnavailableError"
              : "BadRequestError";
    send(res, status, JSON.stringify({ object: "error", message, type, param: null, code: status }), headers);
  }

  function later(action: () => void): void {
    if (latencyMs <= 0) return action();
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, latencyMs);
    timers.add(timer);
  }

  function checkModel(body: Record<string, unknown>): string {
    const requested = body.model;
    if (requested === undefined || requested === null) return servedModel;
    if (typeof requested !== "string" || !models.includes(requested)) {
      throw new RequestProblem(404, `The model \`${JSON.stringify(requested)}\` does not exist.`);
    }
    return requested;
  }

  function chatCompletion(body: Record<string, unknown>, requestHash: number, attempt: number): string {
    const model = checkModel(body);
    const messages = readMessages(body.messages);
    const n = body.n === undefined || body.n === null ? 1 : body.n;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_CHOICES) {
      throw new RequestProblem(400, `n must be an integer between 1 and ${MAX_CHOICES}`);
    }
    const maxTokensRaw = body.max_tokens ?? body.max_completion_tokens;
    const maxTokens = typeof maxTokensRaw === "number" && maxTokensRaw > 0 ? Math.floor(maxTokensRaw) : undefined;
    const format = body.response_format as { type?: unknown } | undefined;
    const jsonRequested = format?.type === "json_object" || format?.type === "json_schema";
    const samplingSeed = typeof body.seed === "number" ? body.seed : 0;
    const wantsLogprobs = body.logprobs === true;
    const topLogprobs = typeof body.top_logprobs === "number" ? body.top_logprobs : 0;

    let promptChars = 0;
    const parts: string[] = [];
    for (const message of messages) {
      parts.push(message.content);
      promptChars += message.content.length;
    }
    const prompt = parts.join("\n\n");
    const detected = detectStep(prompt);
    increment(stats.byStep, detected.step);
    const contentHash = combineHash(fnv1a(prompt, seedHash), samplingSeed);

    const choices: unknown[] = [];
    let completionTokens = 0;
    for (let index = 0; index < n; index++) {
      const random = createSeededRandom(combineHash(contentHash, index));
      const answer = buildScoredAnswer(detected, { prompt, jsonRequested, random });
      let content = answer.content;
      let certainty = answer.certainty;
      const payloadHash = combineHash(contentHash, index, 0x1e7);
      if (options.injectPayloads === true) content = injectPayloads(detected.step, content, payloadHash);
      const schema = requestedSchema(body);
      if (schema !== undefined && detected.step === "unknown" && options.ignoreSchemas !== true)
        content = JSON.stringify(valueForSchema(schema));
      if (options.unresolvableSecondary === true && detected.step === "classification" && detected.group !== "primary") {
        content = "I am not sure which of these fits; it could be several of them.";
      }
      if (planner.isGarbage(requestHash, attempt, index)) {
        stats.garbageChoices++;
        content = corruptAnswer(detected.step, content, random).content;
        if (options.injectPayloads === true) content = injectIntoGarbage(content, payloadHash);
        // A model emitting broken output is an unsure one.
        certainty *= 0.5;
      }
      let tokens = Math.ceil(content.length / 4);
      let finishReason = "stop";
      if (maxTokens !== undefined && tokens > maxTokens) {
        content = content.slice(0, maxTokens * 4);
        tokens = maxTokens;
        finishReason = "length";
      }
      completionTokens += tokens;
      // Built only on request: the token split and hashing would otherwise tax the throughput hot path.
      const logprobs = wantsLogprobs ? tokenLogprobs(content, certainty, combineHash(contentHash, index), topLogprobs) : null;
      choices.push({ index, message: { role: "assistant", content }, logprobs, finish_reason: finishReason });
    }
    const promptTokens = Math.ceil(promptChars / 4) + 4 * messages.length;
    stats.promptTokens += promptTokens;
    stats.completionTokens += completionTokens;
    return JSON.stringify({
      id: `chatcmpl-sim-${requestHash.toString(16)}-${++sequence}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  }

  function embeddings(body: Record<string, unknown>): string {
    const model = checkModel(body);
    const texts = readInputs(body.input);
    const dimensions = body.dimensions === undefined || body.dimensions === null ? 1024 : body.dimensions;
    if (typeof dimensions !== "number" || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new RequestProblem(400, `dimensions must be an integer between 1 and ${MAX_DIMENSIONS}`);
    }
    const base64 = body.encoding_format === "base64";
    let promptTokens = 0;
    const data = texts.map((text, index) => {
      promptTokens += Math.ceil(text.length / 4);
      const vector = embedText(text, dimensions, seedHash);
      const embedding = base64 ? Buffer.from(Float32Array.from(vector).buffer).toString("base64") : Array.from(vector);
      return { object: "embedding", index, embedding };
    });
    stats.promptTokens += promptTokens;
    return JSON.stringify({ object: "list", data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
  }

  // vLLM pooling for a sequence-classification reward model returns the raw logit per input; /classify
  // returns activated probabilities (sigmoid for a single-label head).
  function rewardResponse(body: Record<string, unknown>, endpoint: "pooling" | "classify"): string {
    const model = checkModel(body);
    const texts =
      endpoint === "pooling" && Array.isArray(body.messages)
        ? [
            readMessages(body.messages)
              .map((m) => `${m.role}: ${m.content}`)
              .join("\n"),
          ]
        : readInputs(body.input);
    let promptTokens = 0;
    const data = texts.map((text, index) => {
      promptTokens += Math.ceil(text.length / 4);
      const score = rewardScore(text, seedHash);
      return endpoint === "pooling"
        ? { index, object: "pooling", data: [score] }
        : { index, label: "LABEL_0", probs: [Math.round((1 / (1 + Math.exp(-score))) * 1e6) / 1e6], num_classes: 1 };
    });
    stats.promptTokens += promptTokens;
    return JSON.stringify({
      id: `${endpoint === "pooling" ? "pool" : "classify"}-sim-${++sequence}`,
      object: "list",
      created: Math.floor(Date.now() / 1000),
      model,
      data,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0 },
    });
  }

  function handlePost(req: IncomingMessage, res: ServerResponse, path: string, raw: string): void {
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      return sendError(res, 400, "Request body is not a valid JSON object");
    }
    const requestHash = fnv1a(raw, seedHash);
    const attempt = planner.nextAttempt(requestHash);
    const fault = planner.faultFor(requestHash, attempt);
    if (fault !== undefined) {
      stats.faults[fault]++;
      if (fault === "rate-limited") return sendError(res, 429, "Too many requests (simulated)", { "retry-after": retryAfter });
      if (fault === "unavailable") return sendError(res, 503, "Service unavailable (simulated)", { "retry-after": retryAfter });
      // Dropped connection: the socket dies after the request was read and before any response byte.
      return later(() => req.socket.destroy());
    }
    let responseBody: string;
    try {
      if (path === "/v1/chat/completions") responseBody = chatCompletion(body, requestHash, attempt);
      else if (path === "/v1/embeddings") responseBody = embeddings(body);
      else if (path === "/pooling") responseBody = rewardResponse(body, "pooling");
      else responseBody = rewardResponse(body, "classify");
    } catch (error) {
      if (error instanceof RequestProblem) return sendError(res, error.status, error.message);
      throw error;
    }
    later(() => send(res, 200, responseBody));
  }

  let capacity = options.capacity;
  let working = 0;
  const postPaths = new Set(["/v1/chat/completions", "/v1/embeddings", "/pooling", "/classify", "/v1/classify"]);

  const server = createServer((req, res) => {
    stats.requests++;
    stats.inFlight++;
    if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
    res.on("close", () => {
      stats.inFlight--;
    });
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    let path = query === -1 ? url : url.slice(0, query);
    if (path === "/v1/classify") path = "/classify";
    increment(stats.byEndpoint, `${req.method ?? "GET"} ${path}`);

    if (req.method === "GET" && path === "/health") return send(res, 200, "");
    if (req.method === "GET" && path === "/metrics") {
      const text = renderPrometheus(stats, servedModel, options.kvCacheMetric);
      increment(stats.byStatus, "200");
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
      return res.end(text);
    }
    if (expectedAuth !== undefined && req.headers.authorization !== expectedAuth) {
      // Echo the presented credential the way careless proxies do, so clients prove they redact it.
      req.resume();
      return sendError(res, 401, `Invalid API key: ${req.headers.authorization ?? "(none)"}`);
    }
    if (req.method === "GET" && path === "/v1/models") {
      const data = models.map((id) => ({
        id,
        object: "model",
        created,
        owned_by: "finemed-simulator",
        root: id,
        parent: null,
        max_model_len: 32768,
      }));
      return send(res, 200, JSON.stringify({ object: "list", data }));
    }
    if (req.method === "POST" && postPaths.has(path) && capacity !== undefined) {
      // A server (or its gateway) at capacity turns requests away at once, as an overloaded proxy does.
      if (working >= capacity) {
        req.resume();
        return sendError(res, 429, `over capacity: ${working} requests in flight, capacity ${capacity}`);
      }
      working++;
      res.on("close", () => {
        working--;
      });
    }
    if (req.method !== "POST" || !postPaths.has(path)) {
      req.resume();
      return sendError(res, 404, `Not found: ${req.method ?? ""} ${path}`);
    }
    let raw = "";
    let tooLarge = false;
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      if (tooLarge) return;
      raw += chunk;
      if (raw.length > MAX_BODY_CHARS) {
        tooLarge = true;
        sendError(res, 413, "Request body too large");
      }
    });
    req.on("end", () => {
      if (!tooLarge) handlePost(req, res, path, raw);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1", backlog: 4096 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    stats: () => structuredClone(stats),
    setCapacity: (requests: number | undefined) => {
      capacity = requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw new RequestProblem(400, "messages must be a non-empty array");
  return value.map((entry: unknown) => {
    if (entry === null || typeof entry !== "object") throw new RequestProblem(400, "each message must be an object");
    const { role, content } = entry as { role?: unknown; content?: unknown };
    if (typeof role !== "string") throw new RequestProblem(400, "message role must be a string");
    if (typeof content === "string") return { role, content };
    if (Array.isArray(content)) {
      // OpenAI content parts: keep the text ones.
      const text = content
        .map((part: unknown) =>
          part !== null && typeof part === "object" && typeof (part as { text?: unknown }).text === "string"
            ? (part as { text: string }).text
            : "",
        )
        .join("");
      return { role, content: text };
    }
    if (content === null || content === undefined) return { role, content: "" };
    throw new RequestProblem(400, "message content must be a string or an array of parts");
  });
}

function readInputs(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length > 0) {
    // Token-id inputs are accepted as text of their numbers, enough for a deterministic fake.
    if (value.every((v) => typeof v === "number")) return [value.join(" ")];
    return value.map((v: unknown) => {
      if (typeof v === "string") return v;
      if (Array.isArray(v)) return v.join(" ");
      throw new RequestProblem(400, "input must be a string, an array of strings or token ids");
    });
  }
  throw new RequestProblem(400, "input must be a non-empty string or array");
}
