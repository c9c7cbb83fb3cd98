import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { BackendError, displayUrl } from "../llm/backend-error";
import { backendKeyEnvProblem } from "../llm/backend-key";
import { createBackendClient } from "../llm/client";
import { normalizeBaseUrl } from "../llm/roles";
import { PIPELINE_ROLES, roleSettingsSchema, runConfigSchema, type PipelineRole, type RoleSettings } from "./run-config";

/** What the connection test needs of a role: where, which model, and the name (never the value) of its key. */
export const backendTargetSchema = roleSettingsSchema.pick({ baseUrl: true, model: true, apiKeyEnv: true });
export type BackendTarget = z.output<typeof backendTargetSchema>;

/** The load a vLLM-compatible server reports at /metrics; a field is absent where the server does not report it. */
export interface BackendLoad {
  requestsRunning?: number;
  requestsWaiting?: number;
  kvCacheUsage?: number;
  promptTokensTotal?: number;
  generationTokensTotal?: number;
}

export interface BackendCheck {
  /** Reachable, answering /v1/models, and serving the model asked for. */
  ok: boolean;
  baseUrl: string;
  model: string;
  models: string[];
  modelServed: boolean;
  latencyMs: number | null;
  reason?: string;
  load: BackendLoad | null;
  /** The studio's own simulator answered: its runs must never be shown as made by a real model. */
  simulator: boolean;
}

const CHECK_TIMEOUT_MS = 5_000;

/**
 * Only variables the operator declared as backend keys may be sent as a Bearer token (lib/llm/backend-key.ts),
 * so a form cannot ask the studio to mail, say, BETTER_AUTH_SECRET to a server of its choosing.
 */
export function apiKeyEnvProblem(apiKeyEnv: string | undefined): string | null {
  return apiKeyEnv === undefined ? null : backendKeyEnvProblem(apiKeyEnv);
}

/** The first role of a set whose apiKeyEnv is refused, with the reason; null when all are fine. */
export function roleKeyProblem(roles: Record<PipelineRole, RoleSettings>): string | null {
  for (const role of PIPELINE_ROLES) {
    const problem = apiKeyEnvProblem(roles[role].apiKeyEnv);
    if (problem) return `roles.${role}: ${problem}`;
  }
  return null;
}

const METRIC_NAMES: Record<keyof BackendLoad, readonly string[]> = {
  requestsRunning: ["vllm:num_requests_running", "sglang:num_running_reqs"],
  requestsWaiting: ["vllm:num_requests_waiting", "sglang:num_queue_reqs"],
  // vLLM renamed gpu_cache_usage_perc to kv_cache_usage_perc in V1; either is a 0–1 fraction.
  kvCacheUsage: ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc", "sglang:token_usage"],
  promptTokensTotal: ["vllm:prompt_tokens_total", "sglang:prompt_tokens_total"],
  generationTokensTotal: ["vllm:generation_tokens_total", "sglang:generation_tokens_total"],
};

export function readBackendLoad(metrics: Record<string, number>): BackendLoad {
  const load: BackendLoad = {};
  for (const [field, names] of Object.entries(METRIC_NAMES) as [keyof BackendLoad, readonly string[]][]) {
    const name = names.find((candidate) => metrics[candidate] !== undefined);
    if (name !== undefined) load[field] = metrics[name];
  }
  return load;
}

function isSimulatorMetrics(metrics: Record<string, number>): boolean {
  return Object.keys(metrics).some((name) => name.startsWith("finemed_sim_"));
}

function describeFailure(error: unknown): string {
  if (error instanceof BackendError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One answer, after one fixed wait, for every server that did not list its models: a closed port, a
 * filtered one, a refused key and a non-HTTP service look alike, so the check cannot map a network.
 * The detailed reason goes to the studio's log for the operator.
 */
function unreachableReason(shown: string): string {
  return (
    `no OpenAI-compatible server listed its models at ${shown}: the connection failed, timed out, or the request was refused ` +
    "(check the URL, the port and the API key; the studio's log has the details)"
  );
}

/**
 * Asks one server which models it serves (`/v1/models`) and, where it exposes them, for its load
 * figures (`/metrics`). Never throws: every failure comes back as a reason a curator can act on.
 */
export async function checkBackend(target: BackendTarget, options: { timeoutMs?: number } = {}): Promise<BackendCheck> {
  const shown = displayUrl(normalizeBaseUrl(target.baseUrl));
  const failed = (reason: string): BackendCheck => ({
    ok: false,
    baseUrl: shown,
    model: target.model,
    models: [],
    modelServed: false,
    latencyMs: null,
    reason,
    load: null,
    simulator: false,
  });
  const keyProblem = apiKeyEnvProblem(target.apiKeyEnv);
  if (keyProblem) return failed(keyProblem);
  const apiKey = target.apiKeyEnv === undefined ? undefined : process.env[target.apiKeyEnv];
  if (target.apiKeyEnv !== undefined && !apiKey) return failed(`$${target.apiKeyEnv} is not set in the studio's environment`);
  const client = createBackendClient({
    role: "generator",
    baseUrl: target.baseUrl,
    model: target.model,
    timeoutMs: options.timeoutMs ?? CHECK_TIMEOUT_MS,
    maxRetries: 0,
    ...(apiKey ? { apiKey } : {}),
  });
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const [models, metrics] = await Promise.allSettled([client.models(), client.metrics()]);
  if (models.status === "rejected") {
    process.stderr.write(`[backend-check] ${shown}: ${describeFailure(models.reason)}\n`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, timeoutMs - (Date.now() - started))));
    return failed(unreachableReason(shown));
  }
  const served = models.value.result;
  const modelServed = served.includes(target.model);
  const metricValues = metrics.status === "fulfilled" ? metrics.value.result : null;
  return {
    ok: modelServed,
    baseUrl: shown,
    model: target.model,
    models: served,
    modelServed,
    latencyMs: Math.round(models.value.latencyMs),
    ...(modelServed ? {} : { reason: `the server serves ${served.length > 0 ? served.join(", ") : "no model"}, not ${target.model}` }),
    load: metricValues ? readBackendLoad(metricValues) : null,
    simulator: metricValues !== null && isSimulatorMetrics(metricValues),
  };
}

/** A stored run names a variable that may not be sent to a backend (the operator's declaration changed since). */
export class BackendKeyRefused extends Error {}

export interface RunBackendHealth extends BackendCheck {
  roles: { role: PipelineRole; model: string; served: boolean }[];
}

function groupByServer(
  roles: Record<PipelineRole, RoleSettings>,
): { target: BackendTarget; roles: { role: PipelineRole; model: string }[] }[] {
  const servers = new Map<string, { target: BackendTarget; roles: { role: PipelineRole; model: string }[] }>();
  for (const role of PIPELINE_ROLES) {
    const settings = roles[role];
    const key = normalizeBaseUrl(settings.baseUrl);
    const server = servers.get(key) ?? {
      target: { baseUrl: settings.baseUrl, model: settings.model, apiKeyEnv: settings.apiKeyEnv },
      roles: [],
    };
    server.roles.push({ role, model: settings.model });
    servers.set(key, server);
  }
  return [...servers.values()];
}

/** Checks every distinct server a set of roles points at, once each. */
export async function checkRoleServers(
  roles: Record<PipelineRole, RoleSettings>,
  options: { timeoutMs?: number } = {},
): Promise<RunBackendHealth[]> {
  return Promise.all(
    groupByServer(roles).map(async (server) => {
      const check = await checkBackend(server.target, options);
      return { ...check, roles: server.roles.map((entry) => ({ ...entry, served: check.models.includes(entry.model) })) };
    }),
  );
}

/** True only when every server of the roles answered as the studio's simulator. */
export async function rolesAreSimulated(roles: Record<PipelineRole, RoleSettings>): Promise<boolean> {
  const servers = await checkRoleServers(roles, { timeoutMs: 3_000 });
  return servers.every((server) => server.simulator);
}

/** The health of the servers a stored run points at; null for an unknown run. */
export async function checkRunBackends(db: Database, runId: string): Promise<RunBackendHealth[] | null> {
  // The stored config is checked below: a run from an older studio has no servers to check.
  const [row] = await queryRows(db.pool, z.object({ config: z.unknown() }), `SELECT config FROM runs WHERE id = $1`, [runId]);
  if (!row) return null;
  const config = runConfigSchema.safeParse(row.config);
  if (!config.success) return [];
  const keyProblem = roleKeyProblem(config.data.roles);
  if (keyProblem) throw new BackendKeyRefused(keyProblem);
  return checkRoleServers(config.data.roles);
}
