import type { BackendCallResult, BackendClient, ChatRequest, TokenLogprob } from "../llm/client";
import { BackendError, displayUrl, isUnreachable } from "../llm/backend-error";
import type { ServerConcurrencySnapshot } from "../llm/server-concurrency";
import { backendCallKey } from "../llm/call-key";
import type { CallStore, NewCall } from "./call-store";
import type { PipelineRole } from "./run-config";
import { StageStats, type Stage } from "./stage-stats";
import { outputSchema } from "./output-schemas";
import { blockOfBackendError, type RunBlock } from "./run-block";

export interface ChatReply {
  content: string;
  finishReason: string | null;
  callKey: string;
  model: string;
  /** The answer's token logprobs; null when not asked for or the server returned none. */
  logprobs: TokenLogprob[] | null;
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

type Answer = { ok: true; made: boolean; response: unknown; tokens: number } | { ok: false; reason: string };

interface StoredChat {
  model: string;
  // Kept so a replay from the call store yields the same confidence as the live call did.
  choices: { content: string; finishReason: string | null; logprobs?: TokenLogprob[] }[];
}

/**
 * Makes a pipeline stage's backend call at most once across all runs: a call already in the store is
 * answered from it (and counted as reused), a new one is made through the role's client and stored.
 */
export class StageCaller {
  readonly stats = new StageStats();
  /** Set when a call failed because its server was unreachable or overloaded, not because of the text. */
  outage: string | null = null;
  /** Set when a call failed for a configuration error (key refused, model not served): retrying cannot cure it. */
  blocked: RunBlock | null = null;
  private readonly inFlight = new Map<string, Promise<Answer>>();

  constructor(
    private readonly runId: string,
    private readonly clients: Record<PipelineRole, BackendClient>,
    private readonly store: CallStore,
    private readonly rewardEndpoint: "pooling" | "classify",
  ) {}

  /** The adaptive limit of each server (shown URL) the run's adapting roles call; empty when no role adapts. */
  concurrency(): Record<string, ServerConcurrencySnapshot> {
    const limits: Record<string, ServerConcurrencySnapshot> = {};
    for (const client of Object.values(this.clients)) {
      const snapshot = client.adaptive();
      if (snapshot !== null) limits[displayUrl(client.baseUrl)] = snapshot;
    }
    return limits;
  }

  modelOf(role: PipelineRole): string {
    return this.clients[role].model;
  }

  /**
   * `attempt` > 0 asks again after an invalid output: the sampling seed changes the request (and so
   * its key), because repeating the identical call would only return the stored invalid answer.
   */
  async chat(
    stage: Stage,
    role: PipelineRole,
    prompt: string,
    attempt: number,
    json: boolean,
    logprobs = false,
  ): Promise<CallOutcome<ChatReply>> {
    const client = this.clients[role];
    const request: ChatRequest = {
      messages: [{ role: "user", content: prompt }],
      ...(json ? { responseFormat: "json_object" as const } : {}),
      ...(json && outputSchema(stage) ? { jsonSchema: outputSchema(stage) } : {}),
      ...(attempt > 0 ? { sampling: { seed: attempt } } : {}),
      ...(logprobs ? { logprobs: { top: 1 } } : {}),
    };
    const key = client.chatCallKey(request);
    const answered = await this.answer(stage, key, role, async () => {
      const call = await client.chat(request);
      const response: StoredChat = {
        model: call.result.model || client.model,
        choices: call.result.choices.map((c) => ({
          content: c.content,
          finishReason: c.finishReason,
          ...(c.logprobs !== undefined ? { logprobs: c.logprobs } : {}),
        })),
      };
      return { ...this.callRecord(key, role, client, "/v1/chat/completions", request, call), response };
    });
    if (!answered.ok) return answered;
    const response = answered.value as StoredChat;
    const choice = response.choices[0];
    return choice
      ? {
          ok: true,
          value: {
            content: choice.content,
            finishReason: choice.finishReason,
            callKey: key,
            model: response.model,
            logprobs: choice.logprobs ?? null,
          },
        }
      : { ok: false, reason: "the server returned no choices" };
  }

  async reward(stage: Stage, pairs: { prompt: string; response: string }[]): Promise<CallOutcome<{ scores: number[]; callKey: string }>> {
    const client = this.clients.reward;
    const endpoint = this.rewardEndpoint === "pooling" ? "/pooling" : "/classify";
    const key = backendCallKey({ baseUrl: client.baseUrl, model: client.model, endpoint, input: pairs });
    const answered = await this.answer(stage, key, "reward", async () => {
      const call = await client.reward(pairs, { endpoint: this.rewardEndpoint });
      return { ...this.callRecord(key, "reward", client, endpoint, { input: pairs }, call), response: { scores: call.result } };
    });
    if (!answered.ok) return answered;
    return { ok: true, value: { scores: (answered.value as { scores: number[] }).scores, callKey: key } };
  }

  /**
   * The response of the call `key`: from the store, from an identical call already in flight (two
   * texts asking the same question at once), or made now and stored.
   */
  private async answer(stage: Stage, key: string, role: PipelineRole, make: () => Promise<NewCall>): Promise<CallOutcome<unknown>> {
    const shared = this.inFlight.get(key);
    if (shared) {
      const answer = await shared;
      if (!answer.ok) return answer;
      this.stats.reused(stage, answer.tokens);
      return { ok: true, value: answer.response };
    }
    const pending = (async (): Promise<Answer> => {
      const stored = await this.store.lookup(key);
      // Once a call was refused for the configuration, the batch's other calls would only be refused too.
      if (!stored && this.blocked) return { ok: false, reason: this.blocked.reason };
      if (stored) return { ok: true, made: false, response: stored.response, tokens: stored.promptTokens + stored.completionTokens };
      try {
        const call = await make();
        this.store.save(call);
        this.stats.made(stage, call.promptTokens, call.completionTokens, call.latencyMs);
        return { ok: true, made: true, response: call.response, tokens: call.promptTokens + call.completionTokens };
      } catch (error) {
        if (isOutage(error) && !isUnreachable(error)) this.outage ??= describeBackendFailure(error);
        const client = this.clients[role];
        this.blocked ??= blockOfBackendError(error, { role, model: client.model, baseUrl: displayUrl(client.baseUrl) });
        return { ok: false, reason: describeBackendFailure(error) };
      }
    })();
    this.inFlight.set(key, pending);
    try {
      const answer = await pending;
      if (!answer.ok) return answer;
      if (!answer.made) this.stats.reused(stage, answer.tokens);
      return { ok: true, value: answer.response };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private callRecord(
    key: string,
    role: string,
    client: BackendClient,
    endpoint: string,
    request: unknown,
    call: BackendCallResult<unknown>,
  ): Omit<NewCall, "response"> {
    return {
      key,
      role,
      baseUrl: client.baseUrl,
      model: client.model,
      endpoint,
      request,
      promptTokens: call.usage.promptTokens,
      completionTokens: call.usage.completionTokens,
      latencyMs: call.latencyMs,
      attempts: call.attempts,
      runId: this.runId,
    };
  }
}

/** The server was down, cut off or overloaded: asking again later may well succeed. */
function isOutage(error: unknown): boolean {
  if (!(error instanceof BackendError)) return false;
  if (error.kind === "connection" || error.kind === "timeout" || error.kind === "circuit-open") return true;
  return error.kind === "http" && error.status !== undefined && (error.status === 429 || error.status >= 500);
}

function describeBackendFailure(error: unknown): string {
  if (error instanceof BackendError) return `backend ${error.kind}: ${error.message}`;
  return `backend call failed: ${(error as Error).message}`;
}
