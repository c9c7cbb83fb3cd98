import type { BackendClient, ChatRequest } from "../llm/client";
import { BackendError } from "../llm/backendError";
import { backendCallKey } from "../llm/callKey";
import type { CallStore } from "./call-store";
import type { PipelineRole } from "./run-config";
import { StageStats, type Stage } from "./stage-stats";
import { outputSchema } from "./output-schemas";

export interface ChatReply {
  content: string;
  finishReason: string | null;
  callKey: string;
  model: string;
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

interface StoredChat {
  model: string;
  choices: { content: string; finishReason: string | null }[];
}

/**
 * Makes a pipeline stage's backend call at most once across all runs: a call already in the store is
 * answered from it (and counted as reused), a new one is made through the role's client and stored.
 */
export class StageCaller {
  readonly stats = new StageStats();

  constructor(
    private readonly runId: string,
    private readonly clients: Record<PipelineRole, BackendClient>,
    private readonly store: CallStore,
    private readonly rewardEndpoint: "pooling" | "classify",
  ) {}

  modelOf(role: PipelineRole): string {
    return this.clients[role].model;
  }

  /**
   * `attempt` > 0 asks again after an invalid output: the sampling seed changes the request (and so
   * its key), because repeating the identical call would only return the stored invalid answer.
   */
  async chat(stage: Stage, role: PipelineRole, prompt: string, attempt: number, json: boolean): Promise<CallOutcome<ChatReply>> {
    const client = this.clients[role];
    const request: ChatRequest = {
      messages: [{ role: "user", content: prompt }],
      ...(json ? { responseFormat: "json_object" as const } : {}),
      ...(json && outputSchema(stage) ? { jsonSchema: outputSchema(stage) } : {}),
      ...(attempt > 0 ? { sampling: { seed: attempt } } : {}),
    };
    const key = client.chatCallKey(request);
    const stored = await this.store.lookup(key);
    if (stored) {
      this.stats.reused(stage, stored.promptTokens + stored.completionTokens);
      const response = stored.response as StoredChat;
      const choice = response.choices[0];
      return choice
        ? { ok: true, value: { content: choice.content, finishReason: choice.finishReason, callKey: key, model: response.model } }
        : { ok: false, reason: "stored call has no choices" };
    }
    try {
      const call = await client.chat(request);
      const response: StoredChat = { model: call.result.model || client.model, choices: call.result.choices.map((c) => ({ content: c.content, finishReason: c.finishReason })) };
      this.store.save({
        key,
        role,
        baseUrl: client.baseUrl,
        model: client.model,
        endpoint: "/v1/chat/completions",
        request,
        response,
        promptTokens: call.usage.promptTokens,
        completionTokens: call.usage.completionTokens,
        latencyMs: call.latencyMs,
        attempts: call.attempts,
        runId: this.runId,
      });
      this.stats.made(stage, call.usage.promptTokens, call.usage.completionTokens, call.latencyMs);
      const choice = response.choices[0];
      return choice
        ? { ok: true, value: { content: choice.content, finishReason: choice.finishReason, callKey: key, model: response.model } }
        : { ok: false, reason: "the server returned no choices" };
    } catch (error) {
      return { ok: false, reason: describeBackendFailure(error) };
    }
  }

  async reward(stage: Stage, pairs: { prompt: string; response: string }[]): Promise<CallOutcome<{ scores: number[]; callKey: string }>> {
    const client = this.clients.reward;
    const endpoint = this.rewardEndpoint === "pooling" ? "/pooling" : "/classify";
    const key = backendCallKey({ baseUrl: client.baseUrl, model: client.model, endpoint, input: pairs });
    const stored = await this.store.lookup(key);
    if (stored) {
      this.stats.reused(stage, stored.promptTokens + stored.completionTokens);
      return { ok: true, value: { scores: (stored.response as { scores: number[] }).scores, callKey: key } };
    }
    try {
      const call = await client.reward(pairs, { endpoint: this.rewardEndpoint });
      this.store.save({
        key,
        role: "reward",
        baseUrl: client.baseUrl,
        model: client.model,
        endpoint,
        request: { input: pairs },
        response: { scores: call.result },
        promptTokens: call.usage.promptTokens,
        completionTokens: call.usage.completionTokens,
        latencyMs: call.latencyMs,
        attempts: call.attempts,
        runId: this.runId,
      });
      this.stats.made(stage, call.usage.promptTokens, call.usage.completionTokens, call.latencyMs);
      return { ok: true, value: { scores: call.result, callKey: key } };
    } catch (error) {
      return { ok: false, reason: describeBackendFailure(error) };
    }
  }
}

function describeBackendFailure(error: unknown): string {
  if (error instanceof BackendError) return `backend ${error.kind}: ${error.message}`;
  return `backend call failed: ${(error as Error).message}`;
}
