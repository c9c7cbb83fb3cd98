import { z } from "zod";
import type { Database } from "../db/database";
import { displayUrl, isUnreachable } from "../llm/backend-error";
import type { BackendClient } from "../llm/client";
import { kvCache, rewardCheck, schemaCanary, type KvCacheReading, type RewardCheck, type SchemaCanary } from "../llm/preflight";
import { clientsForRun } from "./backend-clients";
import { unreachableDetail, type RunBlock } from "./run-block";
import { PIPELINE_ROLES, type PipelineRole, type RunConfig } from "./run-config";
import { StageStats } from "./stage-stats";

const preflightCall = z.object({ promptTokens: z.number(), completionTokens: z.number(), latencyMs: z.number() });
// Annotated with the lib/llm types so the schema cannot drift from what the checks produce.
const schemaCanaryShape: z.ZodType<SchemaCanary> = z.object({
  enforced: z.boolean().nullable(),
  detail: z.string(),
  call: preflightCall.optional(),
});
const rewardCheckShape: z.ZodType<RewardCheck> = z.object({ ok: z.boolean(), detail: z.string(), call: preflightCall.optional() });
const kvCacheShape: z.ZodType<KvCacheReading> = z.object({
  usage: z.number().nullable(),
  metric: z.string().nullable(),
  requestsWaiting: z.number().nullable(),
});

const serverPreflightShape = z.object({
  baseUrl: z.string(),
  roles: z.array(z.enum(PIPELINE_ROLES)),
  /** Models the server lists; empty when /v1/models failed. */
  served: z.array(z.string()),
  /** Role models it does not serve. */
  missing: z.array(z.string()),
  /** Null when no chat role uses the server. */
  schemas: schemaCanaryShape.nullable(),
  /** Null when the reward role is elsewhere. */
  reward: rewardCheckShape.nullable(),
  kvCache: kvCacheShape.nullable(),
  problem: z.string().nullable(),
  /** Set when nothing answered at the address (refused, no such host): the run blocks before any paid call. */
  unreachable: z.string().optional(),
});
export type ServerPreflight = z.output<typeof serverPreflightShape>;

/** What the checks before a run's first paid call found, as run_health.preflight stores it. */
export const runPreflightSchema = z.object({
  checkedAt: z.string(),
  servers: z.array(serverPreflightShape),
  /** What the run does about what was found, in the user's words. */
  notes: z.array(z.string()),
});
export type RunPreflight = z.output<typeof runPreflightSchema>;

const CHAT_ROLES: readonly PipelineRole[] = ["generator", "judge", "reasoner", "classifier"];

/**
 * Checks every server of a run before its first paid call. The canary goes through clients that send
 * schemas whatever the roles' structuredOutputs say, so the answer is about the server, not the setting.
 * A model not served blocks the run (nothing is spent on calls the server would refuse).
 */
export async function preflightRun(config: RunConfig): Promise<{ preflight: RunPreflight; block: RunBlock | null; stats: StageStats }> {
  const probing: RunConfig = {
    ...config,
    roles: Object.fromEntries(
      PIPELINE_ROLES.map((role) => {
        const settings = config.roles[role];
        return [role, { ...settings, structuredOutputs: true, maxRetries: 1, timeoutMs: Math.min(settings.timeoutMs, 30_000) }];
      }),
    ) as RunConfig["roles"],
  };
  const clients = clientsForRun(probing);
  const byServer = new Map<string, PipelineRole[]>();
  for (const role of PIPELINE_ROLES) {
    const key = clients[role].baseUrl;
    byServer.set(key, [...(byServer.get(key) ?? []), role]);
  }
  const servers = await Promise.all([...byServer.entries()].map(([baseUrl, roles]) => checkServer(baseUrl, roles, clients, config)));
  const notes: string[] = [];
  let block: RunBlock | null = null;
  for (const server of servers) {
    if (server.unreachable !== undefined) {
      const others = server.roles.slice(1);
      block ??= {
        kind: "backend-unreachable",
        reason:
          `role ${server.roles[0]} at ${server.baseUrl} is unreachable (${server.unreachable})` +
          (others.length > 0 ? `; ${others.join(", ")} use the same server` : ""),
      };
    }
    if (server.missing.length > 0 && server.problem === null) {
      const serves = server.served.join(", ") || "no model";
      block ??= { kind: "model-not-served", reason: `${server.baseUrl} does not serve ${server.missing.join(", ")} (it serves ${serves})` };
    }
    const chatRoles = server.roles.filter((role) => CHAT_ROLES.includes(role));
    const asking = chatRoles.filter((role) => config.roles[role].structuredOutputs);
    if (server.schemas?.enforced === false) {
      notes.push(
        asking.length > 0
          ? `${server.baseUrl} ignores JSON schemas (${server.schemas.detail}): the outputs of ${asking.join(", ")} are parsed and ` +
              `validated after the fact; an invalid one is asked again up to ${config.outputRetries} times, then the text fails at that stage`
          : `${server.baseUrl} does not enforce JSON schemas; this run does not rely on them (structuredOutputs off): ` +
              "outputs are validated after the fact",
      );
    } else if (server.schemas?.enforced === true && asking.length < chatRoles.length) {
      const off = chatRoles.filter((role) => !asking.includes(role)).join(", ");
      notes.push(`${server.baseUrl} enforces JSON schemas: turning structuredOutputs on for ${off} would avoid invalid outputs`);
    }
    if (server.reward && !server.reward.ok) {
      notes.push(`the reward endpoint is not usable (${server.reward.detail}): common-tier texts will fail at the reward stage`);
    }
    if (server.problem) notes.push(server.problem);
  }
  return { preflight: { checkedAt: new Date().toISOString(), servers, notes }, block, stats: preflightStats(servers) };
}

/** The preflight's own calls (the canary, the reward check), counted like a stage's under "preflight"; never stored for reuse. */
function preflightStats(servers: ServerPreflight[]): StageStats {
  const stats = new StageStats();
  for (const server of servers) {
    for (const call of [server.schemas?.call, server.reward?.call]) {
      if (call) stats.made("preflight", call.promptTokens, call.completionTokens, call.latencyMs);
    }
  }
  return stats;
}

async function checkServer(
  baseUrl: string,
  roles: PipelineRole[],
  clients: Record<PipelineRole, BackendClient>,
  config: RunConfig,
): Promise<ServerPreflight> {
  const first = clients[roles[0]!];
  const shown = displayUrl(baseUrl);
  let served: string[] = [];
  let problem: string | null = null;
  let unreachable: string | undefined;
  try {
    served = (await first.models()).result;
  } catch (error) {
    problem = `${shown}: /v1/models failed (${(error as Error).message})`;
    if (isUnreachable(error)) unreachable = unreachableDetail(error);
  }
  const models = [...new Set(roles.map((role) => clients[role].model))];
  const missing = problem === null && served.length > 0 ? models.filter((model) => !served.includes(model)) : [];
  const chatRole = roles.find((role) => CHAT_ROLES.includes(role) && !missing.includes(clients[role].model));
  const [schemas, reward, kv] = await Promise.all([
    chatRole && problem === null ? schemaCanary(clients[chatRole]) : Promise.resolve(null),
    roles.includes("reward") && problem === null && !missing.includes(clients.reward.model)
      ? rewardCheck(clients.reward, config.rewardEndpoint)
      : Promise.resolve(null),
    kvCache(first),
  ]);
  return {
    baseUrl: shown,
    roles,
    served,
    missing,
    schemas,
    reward,
    kvCache: kv,
    problem,
    ...(unreachable !== undefined ? { unreachable } : {}),
  };
}

/**
 * Claims the run's preflight (one batch does it, once) and stores what it found; null when another
 * batch claimed it already.
 */
export async function claimPreflight(db: Database, runId: string): Promise<boolean> {
  const claimed = await db.pool.query(
    `INSERT INTO run_health AS h (run_id, preflight) VALUES ($1, '{"pending": true}'::jsonb)
     ON CONFLICT (run_id) DO UPDATE SET preflight = '{"pending": true}'::jsonb WHERE h.preflight IS NULL RETURNING run_id`,
    [runId],
  );
  return (claimed.rowCount ?? 0) > 0;
}

export async function storePreflight(db: Database, runId: string, preflight: RunPreflight | null): Promise<void> {
  await db.pool.query(`UPDATE run_health SET preflight = $2::jsonb, updated_at = now() WHERE run_id = $1`, [
    runId,
    preflight === null ? null : JSON.stringify(preflight),
  ]);
}
