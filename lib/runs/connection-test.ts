import { createBackendClient } from "../llm/client";
import { schemaCanary, type SchemaCanary } from "../llm/preflight";
import { checkBackend, type BackendCheck, type BackendTarget } from "./backend-check";

export interface ConnectionTest extends BackendCheck {
  /** The structured-output canary (lib/llm/preflight.ts); null when the server was not usable. */
  schemas: SchemaCanary | null;
}

/**
 * "Test connection": the server check, then, on a usable server, the structured-output canary, so the
 * New-run form says whether the server enforces JSON schemas before any run relies on them.
 */
export async function testConnection(target: BackendTarget): Promise<ConnectionTest> {
  const check = await checkBackend(target);
  if (!check.ok) return { ...check, schemas: null };
  // checkBackend has vetted the variable's name and found it set.
  const apiKey = target.apiKeyEnv === undefined ? undefined : process.env[target.apiKeyEnv];
  const client = createBackendClient({
    role: "generator",
    baseUrl: target.baseUrl,
    model: target.model,
    timeoutMs: 15_000,
    maxRetries: 0,
    structuredOutputs: true,
    ...(apiKey ? { apiKey } : {}),
  });
  return { ...check, schemas: await schemaCanary(client) };
}
