import { BackendError, isUnreachable } from "../llm/backend-error";

/** The kinds of configuration error no retry can cure: someone has to change a setting or an environment. */
export const BLOCK_KINDS = ["missing-api-key", "backend-refused", "model-not-served", "backend-unreachable"] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

export interface RunBlock {
  kind: BlockKind;
  reason: string;
}

/**
 * A batch that cannot proceed until its configuration is fixed. The worker parks it (rescheduled, with a
 * cheap check of the condition first) instead of letting the queue retry it blindly for hours.
 */
export class RunBlockedError extends Error {
  readonly block: RunBlock;

  constructor(block: RunBlock) {
    super(block.reason);
    this.name = "RunBlockedError";
    this.block = block;
  }
}

/**
 * The block a failed backend call reveals, or null when the failure is the text's or transient.
 * Nothing answering at the address (refused, no such host) blocks at once: retrying in the queue for
 * minutes would only hide it; the parked batches check again every few seconds and resume. 401/403: the key is refused or missing; 404: the endpoint or the model is not served (vLLM answers
 * 404 "The model `x` does not exist."); 400 naming the model likewise.
 */
export function blockOfBackendError(error: unknown, context: { role: string; model: string; baseUrl: string }): RunBlock | null {
  const where = `role ${context.role} at ${context.baseUrl}`;
  if (isUnreachable(error)) return { kind: "backend-unreachable", reason: `${where} is unreachable (${unreachableDetail(error)})` };
  if (!(error instanceof BackendError) || error.kind !== "http" || error.status === undefined) return null;
  if (error.status === 401 || error.status === 403) {
    return { kind: "backend-refused", reason: `${where} refused the API key (HTTP ${error.status}): ${error.message}` };
  }
  const body = `${error.message} ${error.bodyExcerpt ?? ""}`;
  const namesModel = /model/i.test(body) && /(does not exist|not found|not served|unknown)/i.test(body);
  if (error.status === 404 || (error.status === 400 && namesModel)) {
    return {
      kind: "model-not-served",
      reason: `${where} does not serve model ${context.model} (HTTP ${error.status}): ${error.message}`,
    };
  }
  return null;
}

const UNREACHABLE_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused: nothing listens on that port",
  ENOTFOUND: "no such host: the name does not resolve",
  EAI_AGAIN: "the host name could not be resolved now",
  EHOSTUNREACH: "no route to the host",
  ENETUNREACH: "no route to the network",
  UND_ERR_CONNECT_TIMEOUT: "no connection within the connect timeout",
};

/** The unreachable error in a curator's words, with the code an operator searches for. */
export function unreachableDetail(error: BackendError): string {
  const code = error.code ?? "";
  return `${UNREACHABLE_WORDS[code] ?? code} (${code}, ${error.endpoint})`;
}

/** The studio's own message for a role whose key variable the worker's environment lacks. */
export function isMissingKeyMessage(message: string): boolean {
  return /needs the API key in \$[A-Z_][A-Z0-9_]*/.test(message);
}
