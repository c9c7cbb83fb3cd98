import { beginAuditEvent, completeAuditEvent, withdrawAuditEvent, type AuditIntentRef, type AuditVia } from "../audit";
import type { Database } from "../db/database";
import type { Actor } from "./roles";

/** What a route says about itself for the audit log; derived from the path when absent. */
export interface RouteAudit {
  /** e.g. "run.start"; default: the path's words and the method ("runs.pause", "labels.create"). */
  action?: string;
  /** e.g. "run"; default: the word before the first id in the path. */
  subjectType?: string;
  /** "upload": the body is a file the handler streams (not JSON, not read by the gate, not recorded). */
  body?: "upload";
}

const ID_KEYS = ["id", "runId", "versionId", "bulkOperationId", "importId", "projectionId", "judgingId", "changeId", "jobId"] as const;
const METHOD_VERB: Record<string, string> = { POST: "create", PUT: "replace", PATCH: "update", DELETE: "delete" };
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
  const params: unknown = await context.params;
  if (params === null || typeof params !== "object") return {};
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** "POST /api/runs/<id>/pause" → action "runs.pause", subject run <id>; "POST /api/labels" → "labels.create". */
export function describeRequest(
  method: string,
  pathname: string,
  params: Record<string, string>,
  audit: RouteAudit = {},
): { action: string; subjectType: string | null; subjectId: string | null } {
  const idValues = new Set(
    Object.entries(params)
      .filter(([name]) => name === "id" || name.endsWith("Id"))
      .map(([, value]) => value),
  );
  const segments = pathname
    .replace(/^\/api\//, "")
    .split("/")
    .filter((segment) => segment !== "")
    .map(decodeURIComponent);
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

export interface AuditIntent {
  id: number;
  /** Handed to runAudited: the change's transactions mark this event committed with them. */
  ref: AuditIntentRef;
  request: Request;
  described: ReturnType<typeof describeRequest>;
  body: unknown;
}

/**
 * Writes the audit event of a state-changing request before its handler runs (see write-ahead-audit):
 * null when the request changes nothing (a read-only POST, a preview). A failure here must stop the
 * request, so it is not caught.
 */
export async function beginRequestAudit(
  db: Database,
  input: { request: Request; actor: Actor; via: AuditVia; params: Record<string, string>; body: unknown; audit?: RouteAudit },
): Promise<AuditIntent | null> {
  const url = new URL(input.request.url);
  const described = describeRequest(input.request.method, url.pathname, input.params, input.audit);
  if (READ_ONLY_ACTIONS.has(described.action)) return null;
  // A preview (bulk relabel's count before the confirm) changes nothing.
  if (input.body !== null && typeof input.body === "object" && (input.body as { mode?: unknown }).mode === "preview") return null;
  const id = await beginAuditEvent(db, {
    actor: input.actor,
    action: described.action,
    subject: described.subjectType ? { type: described.subjectType, id: described.subjectId } : null,
    details: { method: input.request.method, path: url.pathname, ...requestPart(input.body) },
    via: input.via,
  });
  return { id, ref: { id, open: true }, request: input.request, described, body: input.body };
}

function requestPart(body: unknown): Record<string, unknown> {
  return body !== null && body !== undefined ? { request: body } : {};
}

/**
 * The handler answered: a success completes the event with the result, a refusal (4xx) withdraws it
 * when nothing of it committed. A handler that threw or answered 5xx may have changed something
 * before it failed, so its event stays, marked `outcome: "error"` (and `committed: true` when one of its
 * transactions had committed).
 */
export async function finishRequestAudit(db: Database, intent: AuditIntent, response: Response | null): Promise<void> {
  intent.ref.open = false;
  const refused = response !== null && response.status >= 400 && response.status < 500;
  if (refused && (await withdrawAuditEvent(db, intent.id))) return;
  const failed = response === null || response.status >= 400;
  const result = response !== null && !failed ? await responseSummary(response) : { id: null, summary: {} };
  const { described } = intent;
  await completeAuditEvent(db, intent.id, {
    subject: described.subjectType ? { type: described.subjectType, id: described.subjectId ?? result.id } : null,
    details: {
      method: intent.request.method,
      path: new URL(intent.request.url).pathname,
      status: response?.status ?? 500,
      ...requestPart(intent.body),
      ...(Object.keys(result.summary).length > 0 ? { result: result.summary } : {}),
    },
    failed,
  });
}
