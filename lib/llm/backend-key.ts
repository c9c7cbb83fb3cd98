/**
 * Which environment variables may be sent to a backend as its API key. A run config, the New-run form
 * or a map request only NAMES the variable (`apiKeyEnv`); the process making the call reads it and sends
 * it as a Bearer token to a URL that curator chose. So only variables the operator declared qualify:
 * names starting with FINEMED_BACKEND_KEY_, those listed in FINEMED_BACKEND_KEY_VARS (comma-separated;
 * default VLLM_API_KEY,OPENAI_API_KEY), and the one FINEMED_EMBEDDER_API_KEY_ENV names. The studio's own
 * secrets can never be named, whatever those lists say.
 */
export const BACKEND_KEY_PREFIX = "FINEMED_BACKEND_KEY_";
export const DEFAULT_BACKEND_KEY_VARS = ["VLLM_API_KEY", "OPENAI_API_KEY"] as const;

type Environment = Readonly<Record<string, string | undefined>>;

// The studio's own credentials and connection strings: never a backend's key.
const STUDIO_SECRETS = new Set(["BETTER_AUTH_SECRET", "DATABASE_URL", "PGPASSWORD", "PGPASSFILE"]);
const STUDIO_PREFIXES = ["FINEMED_", "BETTER_AUTH_", "DATABASE_", "PG"];

export function declaredBackendKeyVars(env: Environment = process.env): Set<string> {
  const listed = env.FINEMED_BACKEND_KEY_VARS;
  const names = listed === undefined ? [...DEFAULT_BACKEND_KEY_VARS] : listed.split(",");
  const embedder = env.FINEMED_EMBEDDER_API_KEY_ENV;
  return new Set([...names, ...(embedder ? [embedder] : [])].map((name) => name.trim()).filter((name) => name !== ""));
}

function isStudioSecret(name: string): boolean {
  if (name.startsWith(BACKEND_KEY_PREFIX)) return false;
  return STUDIO_SECRETS.has(name) || STUDIO_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Why `name` may not serve as a backend's API key, or null when it may. */
export function backendKeyEnvProblem(name: string, env: Environment = process.env): string | null {
  if (isStudioSecret(name)) return `apiKeyEnv ${name} names one of the studio's own settings or secrets, which are never sent to a backend`;
  if (name.startsWith(BACKEND_KEY_PREFIX) || declaredBackendKeyVars(env).has(name)) return null;
  return (
    `apiKeyEnv ${name} is not a declared backend key: name a variable starting with ${BACKEND_KEY_PREFIX}, ` +
    "or ask the operator to list it in FINEMED_BACKEND_KEY_VARS"
  );
}

export class BackendKeyError extends Error {}

/**
 * The API key named by `name` for the process about to call a backend; undefined when no key is named.
 * Throws BackendKeyError with the reason when the name is not a declared key or the variable is unset.
 */
export function readBackendKey(name: string | undefined, who: string, env: Environment = process.env): string | undefined {
  if (name === undefined || name === "") return undefined;
  const problem = backendKeyEnvProblem(name, env);
  if (problem) throw new BackendKeyError(`${who}: ${problem}`);
  const key = env[name];
  if (!key) throw new BackendKeyError(`${who} needs the API key in $${name}, which this process's environment lacks`);
  return key;
}
