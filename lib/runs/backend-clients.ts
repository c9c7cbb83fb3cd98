import { readBackendKey } from "../llm/backend-key";
import { createBackendClient, type BackendClient, type BackendClientOptions } from "../llm/client";
import { PIPELINE_ROLES, type PipelineRole, type RunConfig } from "./run-config";

/**
 * The clients of a run's roles; API keys come from the environment of the process making the calls. A call
 * meeting an open circuit on a server that refuses connections fails at once rather than waiting out its
 * timeout: the batch is parked as blocked and checks the server again itself (lib/runs/block-probe.ts).
 */
export function clientsForRun(config: RunConfig, overrides: BackendClientOptions = {}): Record<PipelineRole, BackendClient> {
  const options: BackendClientOptions = { unreachableWaitMs: 0, ...overrides };
  const entries = PIPELINE_ROLES.map((role) => {
    const { apiKeyEnv, ...settings } = config.roles[role];
    const apiKey = readBackendKey(apiKeyEnv, `role ${role}`);
    return [role, createBackendClient({ ...settings, role, ...(apiKey ? { apiKey } : {}) }, options)] as const;
  });
  return Object.fromEntries(entries) as Record<PipelineRole, BackendClient>;
}
