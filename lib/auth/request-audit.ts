import { maskSecrets, recordAuditEvent, type AuditVia } from "../audit";
import type { Database } from "../db/database";
import type { Actor } from "./roles";

/** What a route says about itself for the audit log; derived from the path when absent. */
export interface RouteAudit {
  /** e.g. "run.start"; default: the path's words and the method ("runs.pause", "labels.create"). */
  action?: string;
  /** e.g. "run"; default: the word before the first id in the path. */
  subjectType?: string;
}

const ID_KEYS = ["id", "runId", "versionId", "bulkOperationId", "importId", "projectionId", "judgingId", "changeId", "jobId"] as const;
const METHOD_VERB: Record<string, string> = { POST: "create", PUT: "replace", PATCH: "update", DELETE: "delete" };
const MAX_BODY_BYTES = 64 * 1024;
// Readable names for the derived actions of the existing routes; new routes get the derived name.
const ACTION_NAMES: Record<string, string> = {
  "labels.create": "labels.relabel",
  "labels.bulk.create": "labels.bulk-relabel",
  "imports.create": "corpus.import",
  "runs.create": "runs.start",
  "datasets.create": "datasets.create",
  "taxonomy.departments.create": "taxonomy.add",
  "taxonomy.departments.update": "taxonomy.rename",
  "taxonomy.departments.retire": "taxonomy.retire",
  "taxonomy.merge.create": "taxonomy.merge",
  "comparisons.create": "comparisons.import",
  "comparisons.judgings": "comparisons.judge",
  "prompts.create": "prompts.new-version",
  "backends.check.create": "backends.check",
  "training.create": "training.start",
  "training.profiles.replace": "training.profile-save",
  "projections.create": "projections.compute",
};

function isIdSegment(segment: string, paramIds: ReadonlySet<string>): boolean {
  return paramIds.has(segment) || /^\d+$/.test(segment) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment);
}

/** Route params that name a subject (id, versionId…), not a verb ([action]). */
export async function subjectParams(context: unknown): Promise<Record<string, string>> {
  if (context === null || typeof context !== "object" || !("params" in context)) return {};
  const params: unknown = await (context as { params: unknown }).params;
  if (params === null || typeof params !== "object") return {};
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** "POST /api/runs/<id>/pause" → action "runs.pause", subject run <id>; "POST /api/labels" → "labels.create". */
export function describeRequest(method: string, pathname: string, params: Record<string, string>, audit: RouteAudit = {}): { action: string; subjectType: string | null; subjectId: string | null } {
  const idValues = new Set(Object.entries(params).filter(([name]) => name === "id" || name.endsWith("Id")).map(([, value]) => value));
  const segments = pathname.replace(/^\/api\//, "").split("/").filter((segment) => segment !== "").map(decodeURIComponent);
  const words: string[] = [];
  let subjectType: string | null = null;
  let subjectId: string | null = null;
  for (const segment of segments) {
    if (isIdSegment(segment, idValues)) {
      if (subjectId === null) {
        subjectId = segment;
        subjectType = words.at(-1) ?? null;
      }
      continue;
    }
    words.push(segment);
  }
  const lastIsVerb = subjectId !== null && segments.at(-1) !== subjectId;
  const derived = [...words, ...(lastIsVerb && method === "POST" ? [] : [METHOD_VERB[method] ?? method.toLowerCase()])].join(".");
  const action = audit.action ?? ACTION_NAMES[derived] ?? derived;
  const type = audit.subjectType ?? (subjectType ? singular(subjectType) : words[0] ? singular(words[0]) : null);
  return { action, subjectType: type, subjectId };
}

function singular(word: string): string {
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("ses")) return word.slice(0, -2);
  return word.endsWith("s") && !word.endsWith("ss") && word !== "analytics" ? word.slice(0, -1) : word;
}

/** A copy of a small JSON request body for the audit details (the handler reads the original). */
export function auditableBody(request: Request): Promise<unknown> | null {
  const type = request.headers.get("content-type") ?? "";
  const length = Number(request.headers.get("content-length") ?? "NaN");
  if (!type.includes("application/json") || !(length <= MAX_BODY_BYTES)) return null;
  return request
    .clone()
    .json()
    .catch(() => null);
}

async function responseSummary(response: Response): Promise<{ id: string | null; summary: Record<string, unknown> }> {
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) return { id: null, summary: {} };
  const document: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (document === null || typeof document !== "object" || Array.isArray(document)) return { id: null, summary: {} };
  const record = document as Record<string, unknown>;
  const idKey = ID_KEYS.find((key) => typeof record[key] === "string" || typeof record[key] === "number");
  const summary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (Object.keys(summary).length >= 16) break;
    if (typeof value === "number" || typeof value === "boolean" || (typeof value === "string" && value.length <= 200)) summary[key] = value;
  }
  return { id: idKey ? String(record[idKey]) : null, summary };
}

/** POST routes that only read (a question in the body, a connection test): nothing to audit. */
const READ_ONLY_ACTIONS = new Set(["ttt.retrieve", "backends.check"]);

/** Records the audit event of one successful state-changing request. */
export async function auditRequest(
  db: Database,
  input: { request: Request; response: Response; actor: Actor; via: AuditVia; params: Record<string, string>; body: unknown; audit?: RouteAudit },
): Promise<void> {
  const url = new URL(input.request.url);
  const described = describeRequest(input.request.method, url.pathname, input.params, input.audit);
  if (READ_ONLY_ACTIONS.has(described.action)) return;
  // A preview (bulk relabel's count before the confirm) changes nothing.
  if (input.body !== null && typeof input.body === "object" && (input.body as { mode?: unknown }).mode === "preview") return;
  const result = await responseSummary(input.response);
  await recordAuditEvent(db, {
    actor: input.actor,
    action: described.action,
    subject: described.subjectType ? { type: described.subjectType, id: described.subjectId ?? result.id } : null,
    details: maskSecrets({
      method: input.request.method,
      path: url.pathname,
      status: input.response.status,
      ...(input.body !== null && input.body !== undefined ? { request: input.body } : {}),
      ...(Object.keys(result.summary).length > 0 ? { result: result.summary } : {}),
    }),
    via: input.via,
  });
}
