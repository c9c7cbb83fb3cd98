import { BackendError, displayUrl } from "../llm/backend-error";
import type { BackendClient } from "../llm/client";
import { blockOfBackendError, type RunBlock } from "./run-block";
import type { PipelineRole } from "./run-config";

/**
 * Checks a blocking condition cheaply before a parked batch spends calls on it again: each server of the
 * run's roles is asked which models it serves (`/v1/models`, unpaid). Null when nothing blocks any more.
 */
export async function probeBlock(clients: Record<PipelineRole, BackendClient>): Promise<RunBlock | null> {
  const seen = new Set<string>();
  for (const [role, client] of Object.entries(clients) as [PipelineRole, BackendClient][]) {
    const key = `${client.baseUrl} ${client.model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const shown = displayUrl(client.baseUrl);
    try {
      const served = (await client.models()).result;
      // The reward model may be served under /pooling only and missing from a partial list: an empty list is no evidence.
      if (served.length > 0 && !served.includes(client.model)) {
        const reason = `role ${role} at ${shown} does not serve model ${client.model} (it serves ${served.join(", ")})`;
        return { kind: "model-not-served", reason };
      }
    } catch (error) {
      const refused = blockOfBackendError(error, { role, model: client.model, baseUrl: shown });
      if (refused) return refused;
      const message = error instanceof BackendError ? `${error.kind}: ${error.message}` : String(error);
      return { kind: "backend-unreachable", reason: `role ${role} at ${shown} is unreachable (${message})` };
    }
  }
  return null;
}
