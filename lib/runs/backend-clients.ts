import { readBackendKey } from "../llm/backend-key";
import { createBackendClient, type BackendClient, type BackendClientOptions } from "../llm/client";
import { PIPELINE_ROLES, type PipelineRole, type RunConfig } from "./run-config";

/** The clients of a run's roles; API keys come from the environment of the process making the calls. */
export function clientsForRun(config: RunConfig, options: BackendClientOptions = {}): Record<PipelineRole, BackendClient> {
  const entries = PIPELINE_ROLES.map((role) => {
    const { apiKeyEnv, ...settings } = config.roles[role];
    const apiKey = readBackendKey(apiKeyEnv, `role ${role}`);
    return [role, createBackendClient({ ...settings, role, ...(apiKey ? { apiKey } : {}) }, options)] as const;
  });
  return Object.fromEntries(entries) as Record<PipelineRole, BackendClient>;
}
