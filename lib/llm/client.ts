import type { AdaptiveLimiter } from "./adaptive-limiter";
import { BackendError, bodyExcerpt, displayUrl, isUnreachable } from "./backend-error";
import { backendCallKey } from "./call-key";
import { CircuitBreaker, DEFAULT_CIRCUIT_OPTIONS, circuitForBaseUrl, type CircuitOptions, type CircuitSnapshot } from "./circuit-breaker";
import { ConcurrencyLimiter } from "./concurrency-limiter";
import { concurrencyForServer, type ServerConcurrencySnapshot } from "./server-concurrency";
import { parsePrometheusText } from "./prometheus-text";
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, sleep } from "./retry-policy";
import { normalizeBaseUrl, roleBackendConfigSchema, type RoleBackendConfig, type RoleBackendConfigInput, type Sampling } from "./roles";
import { sendHttp, type HttpReply } from "./transport";

// The pipeline's only door to model servers: per-role concurrency, retries with jitter that honour
// Retry-After, a shared per-server circuit breaker and typed errors. Model output is returned verbatim;
// judging whether it is valid JSON is the pipeline parser's job, not the transport's.

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface JsonSchemaFormat {
  name: string;
  schema: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  n?: number;
  /** Ask for JSON mode regardless of the role's structuredOutputs setting. */
  responseFormat?: "json_object";
  /** Sent as response_format json_schema only where the role has structuredOutputs enabled. */
  jsonSchema?: JsonSchemaFormat;
  sampling?: Sampling;
  /** Per-token logprobs of the output (sent as `logprobs: true, top_logprobs: top`). */
  logprobs?: { top: number };
  signal?: AbortSignal;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
}

export interface ChatChoice {
  index: number;
  /** Raw model output, unparsed. */
  content: string;
  finishReason: string | null;
  /** The sampled tokens' logprobs, present only when asked for and the server returned them. */
  logprobs?: TokenLogprob[];
}

export interface ChatResult {
  id: string;
  model: string;
  choices: ChatChoice[];
}

export interface RewardPair {
  prompt: string;
  response: string;
}

export interface RewardOptions {
  /** "pooling" (default) sends each pair as chat messages so the server applies the model's template. */
  endpoint?: "pooling" | "classify";
  /** Text rendering of a pair for /classify, which takes plain strings. */
  render?: (pair: RewardPair) => string;
  signal?: AbortSignal;
}

export interface BackendUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface BackendCallResult<T> {
  result: T;
  usage: BackendUsage;
  latencyMs: number;
  attempts: number;
  httpStatus: number;
}

export interface BackendClientOptions {
  /** First backoff ceiling; doubles per retry (default 250 ms). */
  retryBaseMs?: number;
  /** Largest backoff ceiling (default 20 s). */
  retryMaxMs?: number;
  /** Longest Retry-After honoured; longer ones are clamped (default 60 s). */
  maxRetryAfterMs?: number;
  /** Longest a call waits for an open circuit before failing with "circuit-open" (default: timeoutMs). */
  circuitWaitMs?: number;
  /**
   * Longest a call waits for an open circuit whose server was unreachable (refused, no such host) at the
   * last try (default: circuitWaitMs). A run's clients use 0: it parks the batch and checks again itself.
   */
  unreachableWaitMs?: number;
  /** A breaker to use instead of the shared one of the base URL, or options for the shared one. */
  circuit?: CircuitBreaker | Partial<CircuitOptions>;
  random?: () => number;
}

export interface BackendClient {
  readonly role: RoleBackendConfig["role"];
  readonly model: string;
  readonly baseUrl: string;
  chat(request: ChatRequest): Promise<BackendCallResult<ChatResult>>;
  /** Same key as the stored call that `chat(request)` makes. */
  chatCallKey(request: ChatRequest): string;
  embed(texts: string[], options?: { dimensions?: number; signal?: AbortSignal }): Promise<BackendCallResult<number[][]>>;
  reward(pairs: RewardPair[], options?: RewardOptions): Promise<BackendCallResult<number[]>>;
  models(): Promise<BackendCallResult<string[]>>;
  health(): Promise<BackendCallResult<true>>;
  metrics(): Promise<BackendCallResult<Record<string, number>>>;
  circuitState(): CircuitSnapshot;
  load(): { inFlight: number; waiting: number };
  /** The adaptive limit of the client's server now (shared with the server's other roles); null where the role's concurrency is fixed. */
  adaptive(): ServerConcurrencySnapshot | null;
}

interface Parsed<T> {
  result: T;
  usage: BackendUsage;
}

interface CallSpec<T> {
  endpoint: string;
  method: "GET" | "POST";
  body?: unknown;
  /** Control-plane calls (health, models, metrics) skip the limiter and the breaker and do not retry. */
  controlPlane?: boolean;
  signal?: AbortSignal;
  parse: (reply: HttpReply) => Parsed<T>;
}

const NO_USAGE: BackendUsage = { promptTokens: 0, completionTokens: 0 };

/** Sends in a granted slot of the server's adaptive limiter and tells the limiter how the server answered. */
async function reportedTo(adaptive: AdaptiveLimiter, send: () => Promise<HttpReply>): Promise<HttpReply> {
  // Latency from when the slot was granted: a wait in the limiter's queue says nothing of the server.
  const sentAt = performance.now();
  try {
    const reply = await send();
    if (reply.status === 429 || reply.status === 503) adaptive.congestion();
    else if (reply.status < 500) adaptive.success(performance.now() - sentAt);
    return reply;
  } catch (error) {
    if (error instanceof BackendError && error.kind === "timeout") adaptive.congestion();
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function readUsage(value: unknown): BackendUsage {
  if (!isRecord(value)) return NO_USAGE;
  const prompt = value.prompt_tokens;
  const completion = value.completion_tokens;
  return {
    promptTokens: typeof prompt === "number" ? prompt : 0,
    completionTokens: typeof completion === "number" ? completion : 0,
  };
}

// OpenAI/vLLM shape: { content: [{ token, logprob, top_logprobs }] }. Malformed entries are skipped
// rather than failing the call: logprobs are a side signal, never worth losing the answer over.
function readLogprobs(value: unknown): TokenLogprob[] | undefined {
  if (!isRecord(value) || !Array.isArray(value.content)) return undefined;
  const tokens: TokenLogprob[] = [];
  for (const entry of value.content) {
    if (isRecord(entry) && typeof entry.token === "string" && typeof entry.logprob === "number" && Number.isFinite(entry.logprob)) {
      tokens.push({ token: entry.token, logprob: entry.logprob });
    }
  }
  return tokens;
}

export function createBackendClient(input: RoleBackendConfigInput, options: BackendClientOptions = {}): BackendClient {
  const config = roleBackendConfigSchema.parse(input);
  const baseUrl = normalizeBaseUrl(config.baseUrl);
  const shownBase = displayUrl(baseUrl);
  const apiKey = config.apiKey;
  const limiter = new ConcurrencyLimiter(config.maxInFlight);
  // Adaptive: a slot per attempt (not held through a retry's backoff) in the server's shared limiter, whose
  // limit moves with what the server says; the role's own limiter in front keeps the role under its ceiling.
  const server = config.adaptiveConcurrency ? concurrencyForServer(baseUrl, config.role, config.maxInFlight) : null;
  const adaptive = server?.limiter ?? null;
  function watchServerQueue(): void {
    server?.watchQueue(async () => {
      const waiting = (await metricsCall()).result["vllm:num_requests_waiting"];
      return typeof waiting === "number" ? waiting : undefined;
    });
  }
  const breaker =
    options.circuit instanceof CircuitBreaker
      ? options.circuit
      : circuitForBaseUrl(baseUrl, { ...DEFAULT_CIRCUIT_OPTIONS, ...options.circuit });
  const retryBaseMs = options.retryBaseMs ?? 250;
  const retryMaxMs = options.retryMaxMs ?? 20_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const circuitWaitMs = options.circuitWaitMs ?? config.timeoutMs;
  const unreachableWaitMs = options.unreachableWaitMs ?? circuitWaitMs;
  const random = options.random ?? Math.random;

  function invalid(endpoint: string, reply: HttpReply, why: string): BackendError {
    return new BackendError({
      kind: "invalid-response",
      endpoint,
      status: reply.status,
      bodyExcerpt: bodyExcerpt(reply.text, apiKey),
      message: `${endpoint} at ${shownBase} returned an invalid response: ${why}`,
    });
  }

  function parseJson(endpoint: string, reply: HttpReply): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.text);
    } catch {
      throw invalid(endpoint, reply, "body is not JSON");
    }
    if (!isRecord(parsed)) throw invalid(endpoint, reply, "body is not a JSON object");
    return parsed;
  }

  async function attemptLoop<T>(spec: CallSpec<T>): Promise<BackendCallResult<T>> {
    const started = performance.now();
    const maxRetries = spec.controlPlane === true ? 0 : config.maxRetries;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    for (let attempt = 1; ; attempt++) {
      const permit = spec.controlPlane === true ? undefined : await acquirePermit(spec.endpoint, attempt);
      let reply: HttpReply;
      try {
        const send = () =>
          sendHttp({
            url: baseUrl + spec.endpoint,
            method: spec.method,
            endpoint: spec.endpoint,
            body,
            apiKey,
            timeoutMs: config.timeoutMs,
            signal: spec.signal,
          });
        if (adaptive !== null && spec.controlPlane !== true) {
          watchServerQueue();
          // The slot is released before a retry's backoff (a paused call holding one wasted capacity: measured in
          // bench/RESULTS.md); the halving cut is what stops slots above capacity from bouncing 429s. The reply
          // is reported while the slot is still held, so a cut takes effect before the slot passes to a waiter.
          reply = await limiter.run(() => adaptive.run(() => reportedTo(adaptive, send)));
        } else reply = await send();
      } catch (error) {
        // Timeouts and dropped connections count against the server; a caller's cancellation does not.
        const isBackendFailure = error instanceof BackendError;
        if (permit !== undefined)
          breaker.record(permit, isBackendFailure ? "failure" : "neutral", isUnreachable(error) ? error.code : undefined);
        if (!isBackendFailure) throw error;
        error.attempts = attempt;
        if (attempt > maxRetries) throw error;
        await sleep(backoffDelayMs(attempt - 1, retryBaseMs, retryMaxMs, random), spec.signal);
        continue;
      }
      // Any answer below 500 proves the server is alive, even a 429 or a 400.
      if (permit !== undefined) breaker.record(permit, reply.status >= 500 ? "failure" : "success");
      if (reply.status >= 200 && reply.status < 300) {
        try {
          const parsed = spec.parse(reply);
          return { ...parsed, latencyMs: performance.now() - started, attempts: attempt, httpStatus: reply.status };
        } catch (error) {
          if (error instanceof BackendError) error.attempts = attempt;
          throw error;
        }
      }
      const failure = new BackendError({
        kind: "http",
        endpoint: spec.endpoint,
        status: reply.status,
        bodyExcerpt: bodyExcerpt(reply.text, apiKey),
        message: `${spec.endpoint} at ${shownBase} answered HTTP ${reply.status}`,
        attempts: attempt,
      });
      if (!isRetryableStatus(reply.status) || attempt > maxRetries) throw failure;
      const retryAfterMs = parseRetryAfter(reply.retryAfter);
      const delay =
        retryAfterMs !== undefined ? Math.min(retryAfterMs, maxRetryAfterMs) : backoffDelayMs(attempt - 1, retryBaseMs, retryMaxMs, random);
      await sleep(delay, spec.signal);
    }
  }

  async function acquirePermit(endpoint: string, attempt: number): Promise<{ probe: boolean }> {
    try {
      return await breaker.acquire(circuitWaitMs, endpoint, unreachableWaitMs);
    } catch (error) {
      if (error instanceof BackendError) error.attempts = attempt - 1;
      throw error;
    }
  }

  function metricsCall(): Promise<BackendCallResult<Record<string, number>>> {
    return call({
      endpoint: "/metrics",
      method: "GET",
      controlPlane: true,
      parse: (reply) => ({ result: parsePrometheusText(reply.text), usage: NO_USAGE }),
    });
  }

  function call<T>(spec: CallSpec<T>): Promise<BackendCallResult<T>> {
    if (spec.controlPlane === true || adaptive !== null) return attemptLoop(spec);
    return limiter.run(() => attemptLoop(spec));
  }

  function chatBody(request: ChatRequest): Record<string, unknown> {
    const sampling = { ...config.sampling, ...request.sampling };
    let responseFormat: unknown;
    if (request.jsonSchema !== undefined && config.structuredOutputs) {
      responseFormat = {
        type: "json_schema",
        json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true },
      };
    } else if (request.responseFormat === "json_object") {
      responseFormat = { type: "json_object" };
    }
    return {
      model: config.model,
      messages: request.messages,
      n: request.n,
      temperature: sampling.temperature,
      top_p: sampling.top_p,
      max_tokens: sampling.max_tokens,
      seed: sampling.seed,
      response_format: responseFormat,
      // Left undefined (so dropped by JSON.stringify) when not asked for: existing call keys stay the same.
      logprobs: request.logprobs === undefined ? undefined : true,
      top_logprobs: request.logprobs?.top,
    };
  }

  function parseChat(reply: HttpReply): Parsed<ChatResult> {
    const endpoint = "/v1/chat/completions";
    const json = parseJson(endpoint, reply);
    if (!Array.isArray(json.choices)) throw invalid(endpoint, reply, "no choices array");
    const choices: ChatChoice[] = json.choices.map((choice: unknown, position: number) => {
      if (!isRecord(choice) || !isRecord(choice.message)) throw invalid(endpoint, reply, "choice without message");
      const content = choice.message.content;
      if (content !== null && content !== undefined && typeof content !== "string")
        throw invalid(endpoint, reply, "message content is not text");
      const parsed: ChatChoice = {
        index: typeof choice.index === "number" ? choice.index : position,
        content: content ?? "",
        finishReason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
      };
      const logprobs = readLogprobs(choice.logprobs);
      if (logprobs !== undefined) parsed.logprobs = logprobs;
      return parsed;
    });
    choices.sort((a, b) => a.index - b.index);
    return {
      result: {
        id: typeof json.id === "string" ? json.id : "",
        model: typeof json.model === "string" ? json.model : config.model,
        choices,
      },
      usage: readUsage(json.usage),
    };
  }

  function scoreOf(value: unknown): number | undefined {
    // Sequence-classification heads give [logit]; token-level reward heads give one row per token, where
    // the last token carries the sequence reward.
    if (typeof value === "number") return value;
    if (Array.isArray(value) && value.length > 0) return scoreOf(value.length === 1 ? value[0] : value[value.length - 1]);
    return undefined;
  }

  async function rewardByPooling(pairs: RewardPair[], signal: AbortSignal | undefined): Promise<BackendCallResult<number[]>> {
    const started = performance.now();
    const calls = await Promise.all(
      pairs.map((pair) =>
        call({
          endpoint: "/pooling",
          method: "POST",
          signal,
          body: {
            model: config.model,
            messages: [
              { role: "user", content: pair.prompt },
              { role: "assistant", content: pair.response },
            ],
          },
          parse: (reply) => {
            const json = parseJson("/pooling", reply);
            const first = Array.isArray(json.data) ? (json.data[0] as unknown) : undefined;
            const score = isRecord(first) ? scoreOf(first.data) : undefined;
            if (score === undefined) throw invalid("/pooling", reply, "no score in data[0].data");
            return { result: score, usage: readUsage(json.usage) };
          },
        }),
      ),
    );
    return {
      result: calls.map((c) => c.result),
      usage: {
        promptTokens: calls.reduce((sum, c) => sum + c.usage.promptTokens, 0),
        completionTokens: 0,
      },
      latencyMs: performance.now() - started,
      attempts: calls.reduce((most, c) => Math.max(most, c.attempts), 0),
      httpStatus: calls[0]?.httpStatus ?? 200,
    };
  }

  function rewardByClassify(pairs: RewardPair[], options: RewardOptions): Promise<BackendCallResult<number[]>> {
    const render = options.render ?? ((pair: RewardPair) => `User: ${pair.prompt}\n\nAssistant: ${pair.response}`);
    return call({
      endpoint: "/classify",
      method: "POST",
      signal: options.signal,
      body: { model: config.model, input: pairs.map(render) },
      parse: (reply) => {
        const json = parseJson("/classify", reply);
        if (!Array.isArray(json.data) || json.data.length !== pairs.length)
          throw invalid("/classify", reply, "data does not match the inputs");
        const scores = new Array<number>(pairs.length);
        for (const [position, item] of json.data.entries()) {
          if (!isRecord(item) || !Array.isArray(item.probs)) throw invalid("/classify", reply, "item without probs");
          // One label: its probability is the reward; two labels: the positive class.
          const probs: unknown[] = item.probs;
          const score = probs.length === 1 ? probs[0] : probs[probs.length - 1];
          if (typeof score !== "number") throw invalid("/classify", reply, "probability is not a number");
          scores[typeof item.index === "number" ? item.index : position] = score;
        }
        return { result: scores, usage: readUsage(json.usage) };
      },
    });
  }

  return {
    role: config.role,
    model: config.model,
    baseUrl,

    chat: (request) =>
      call({ endpoint: "/v1/chat/completions", method: "POST", body: chatBody(request), signal: request.signal, parse: parseChat }),

    chatCallKey: (request) => {
      const { model, messages, ...params } = chatBody(request);
      return backendCallKey({ baseUrl, model: String(model), endpoint: "/v1/chat/completions", messages, params });
    },

    embed: (texts, embedOptions = {}) =>
      call({
        endpoint: "/v1/embeddings",
        method: "POST",
        signal: embedOptions.signal,
        body: { model: config.model, input: texts, dimensions: embedOptions.dimensions, encoding_format: "float" },
        parse: (reply) => {
          const json = parseJson("/v1/embeddings", reply);
          if (!Array.isArray(json.data) || json.data.length !== texts.length)
            throw invalid("/v1/embeddings", reply, "data does not match the inputs");
          const vectors = new Array<number[]>(texts.length);
          for (const [position, item] of json.data.entries()) {
            if (!isRecord(item) || !Array.isArray(item.embedding)) throw invalid("/v1/embeddings", reply, "item without embedding");
            vectors[typeof item.index === "number" ? item.index : position] = item.embedding as number[];
          }
          return { result: vectors, usage: readUsage(json.usage) };
        },
      }),

    reward: (pairs, rewardOptions = {}) =>
      rewardOptions.endpoint === "classify" ? rewardByClassify(pairs, rewardOptions) : rewardByPooling(pairs, rewardOptions.signal),

    models: () =>
      call({
        endpoint: "/v1/models",
        method: "GET",
        controlPlane: true,
        parse: (reply) => {
          const json = parseJson("/v1/models", reply);
          if (!Array.isArray(json.data)) throw invalid("/v1/models", reply, "no data array");
          const ids = json.data
            .map((item: unknown) => (isRecord(item) && typeof item.id === "string" ? item.id : ""))
            .filter((id) => id !== "");
          return { result: ids, usage: NO_USAGE };
        },
      }),

    health: () =>
      call({ endpoint: "/health", method: "GET", controlPlane: true, parse: () => ({ result: true as const, usage: NO_USAGE }) }),

    metrics: metricsCall,

    circuitState: () => breaker.snapshot(),
    load: () => ({ inFlight: limiter.inFlight, waiting: limiter.waiting }),
    adaptive: () => server?.snapshot() ?? null,
  };
}
