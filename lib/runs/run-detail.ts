import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { displayUrl } from "../llm/backend-error";
import { normalizeBaseUrl } from "../llm/roles";
import { DEFAULT_PROMPTS } from "../pipeline/prompts";
import { PIPELINE_ROLES, runConfigSchema, type PipelineRole } from "./run-config";
import { runSummary, type RunSummary } from "./run-summary";
import { STAGES } from "./stage-stats";

// Everything the run pages show, in JSON-safe shapes (numbers and ISO strings, no Date or bigint), so
// the server render and the 2-second poll hand the browser the very same object.

export interface StageProgress {
  stage: string;
  callsMade: number;
  callsReused: number;
  promptTokens: number;
  completionTokens: number;
  tokensSaved: number;
  failures: number;
  /** Texts whose outcome is "failed" at this stage. */
  textsFailed: number;
  /** Mean latency of the calls made (reused calls cost nothing); null before the first call. */
  meanLatencyMs: number | null;
  /** Set for a stage that makes no call of its own: the stages whose calls its row counts. */
  callsOf: string[] | null;
}

// The DPO stage pairs the complex-reasoning answer (chosen) with the direct answer (rejected): its
// calls are theirs, so its row counts them rather than showing a misleading 0.
const CALLS_OF: Record<string, string[]> = { dpo: ["complex-reasoning", "direct-answer"] };

export interface ThroughputPoint {
  /** Start of the bucket, in seconds since the epoch. */
  at: number;
  texts: number;
  calls: number;
}

export interface Throughput {
  bucketSeconds: number;
  points: ThroughputPoint[];
}

export interface FailedItem {
  id: number;
  sourceTextId: number;
  externalId: string | null;
  stage: string;
  reason: string;
  /** The model's output, cut at RAW_OUTPUT_CHARS; null when the server never answered. */
  rawOutput: string | null;
  rawOutputLength: number;
  callKey: string | null;
  createdAt: string;
}

export interface FailurePage {
  items: FailedItem[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export interface RunPromptVersion {
  key: string;
  version: number;
  checksum: string;
  role: string;
  source: string;
}

export interface RoleView {
  role: PipelineRole;
  /** Without credentials a URL might embed. */
  baseUrl: string;
  model: string;
  apiKeyEnv: string | null;
  maxInFlight: number;
  /** The server the role's calls go to (its root, as the limiter and the breaker key it). */
  server: string;
  adaptiveConcurrency: boolean;
  timeoutMs: number;
  maxRetries: number;
  structuredOutputs: boolean;
  sampling: Record<string, number>;
}

export interface RunConfigView {
  limit: number | null;
  seed: string;
  tierThreshold: number;
  batchSize: number;
  outputRetries: number;
  rewardEndpoint: string;
  roles: RoleView[];
}

export interface RunDetail {
  stages: StageProgress[];
  throughput: Throughput;
  failures: FailurePage;
  prompts: RunPromptVersion[];
  /** Null when the stored config no longer matches the schema (a run from an older studio). */
  config: RunConfigView | null;
}

export type RunSummaryView = Omit<RunSummary, "createdAt" | "startedAt" | "finishedAt"> & {
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export interface RunSnapshot {
  summary: RunSummaryView;
  detail: RunDetail;
}

export const RAW_OUTPUT_CHARS = 20_000;
export const MAX_FAILURE_PAGE = 100;
const BUCKET_SECONDS = 10;
const THROUGHPUT_BUCKETS = 60;

interface StageRow {
  callsMade: number;
  callsReused: number;
  promptTokens: number;
  completionTokens: number;
  tokensSaved: number;
  latencyMsTotal: number;
  failures: number;
}
// A failed text always names the stage it failed at (synthesizeText sets both together).
const failedStageRow = z.object({ stage: z.string(), n: z.number().int() });

export async function runStages(db: Database, runId: string): Promise<StageProgress[]> {
  const [stats, failedTexts] = await Promise.all([
    db.prisma.runStageStat.findMany({ where: { runId } }),
    // Stays SQL: a count per failed stage (Prisma's groupBy would answer the same in a wider shape, for no gain).
    queryRows(
      db.pool,
      failedStageRow,
      `SELECT failed_stage AS stage, count(*)::int AS n FROM run_texts WHERE run_id = $1 AND outcome = 'failed' GROUP BY failed_stage`,
      [runId],
    ),
  ]);
  // Prisma gives the BIGINT counters as bigint; a run's tokens and milliseconds stay far below 2^53.
  const byStage = new Map(
    stats.map((row): [string, StageRow] => [
      row.stage,
      {
        callsMade: row.callsMade,
        callsReused: row.callsReused,
        promptTokens: Number(row.promptTokens),
        completionTokens: Number(row.completionTokens),
        tokensSaved: Number(row.tokensSaved),
        latencyMsTotal: Number(row.latencyMsTotal),
        failures: row.failures,
      },
    ]),
  );
  const failedBy = new Map(failedTexts.map((row) => [row.stage, row.n]));
  // Every stage of the pipeline, in pipeline order, so the table keeps its shape while a run starts.
  const known: string[] = [...STAGES];
  const stages = [...known, ...[...byStage.keys()].filter((stage) => !known.includes(stage)).sort()];
  return stages.map((stage) => {
    const sources = CALLS_OF[stage];
    const row = sources
      ? sumRows(
          sources.map((source) => byStage.get(source)),
          byStage.get(stage)?.failures ?? 0,
        )
      : byStage.get(stage);
    const made = row?.callsMade ?? 0;
    return {
      stage,
      callsMade: made,
      callsReused: row?.callsReused ?? 0,
      promptTokens: row?.promptTokens ?? 0,
      completionTokens: row?.completionTokens ?? 0,
      tokensSaved: row?.tokensSaved ?? 0,
      failures: row?.failures ?? 0,
      textsFailed: failedBy.get(stage) ?? 0,
      meanLatencyMs: made > 0 ? Math.round((row?.latencyMsTotal ?? 0) / made) : null,
      callsOf: sources ?? null,
    };
  });
}

function sumRows(rows: (StageRow | undefined)[], failures: number): StageRow {
  const sum = (pick: (row: StageRow) => number) => rows.reduce((total, row) => total + (row ? pick(row) : 0), 0);
  return {
    callsMade: sum((row) => row.callsMade),
    callsReused: sum((row) => row.callsReused),
    promptTokens: sum((row) => row.promptTokens),
    completionTokens: sum((row) => row.completionTokens),
    tokensSaved: sum((row) => row.tokensSaved),
    latencyMsTotal: sum((row) => row.latencyMsTotal),
    failures,
  };
}

const throughputHeadRow = z.object({
  status: z.string(),
  started: z.number().nullable(),
  finished: z.number().nullable(),
  now: z.number(),
  last_text: z.number().nullable(),
});
// The bucket is a BIGINT (a number through the int8 parser).
const bucketRow = z.object({ bucket: z.number().int(), n: z.number().int() });

/**
 * Texts finished and backend calls made per 10-second bucket over the run's last ten minutes of
 * activity: up to now while it works, up to its last finished text once it stopped.
 */
// Stays SQL: the head row carries a max() over the run's texts, and the buckets are GROUP BY counts.
export async function runThroughput(db: Database, runId: string): Promise<Throughput> {
  const empty: Throughput = { bucketSeconds: BUCKET_SECONDS, points: [] };
  const [run] = await queryRows(
    db.pool,
    throughputHeadRow,
    `SELECT status::text, extract(epoch FROM started_at)::float8 AS started, extract(epoch FROM finished_at)::float8 AS finished,
            extract(epoch FROM now())::float8 AS now,
            CASE WHEN status IN ('queued', 'running') OR finished_at IS NOT NULL THEN NULL
                 ELSE (SELECT extract(epoch FROM max(t.finished_at))::float8 FROM run_texts t WHERE t.run_id = runs.id AND t.outcome <> 'pending') END AS last_text
       FROM runs WHERE id = $1`,
    [runId],
  );
  if (!run || run.started === null) return empty;
  const active = run.status === "queued" || run.status === "running";
  const end = active ? run.now : (run.finished ?? run.last_text ?? run.now);
  const lastBucket = Math.floor(end / BUCKET_SECONDS) * BUCKET_SECONDS;
  const firstBucket = Math.max(
    Math.floor(run.started / BUCKET_SECONDS) * BUCKET_SECONDS,
    lastBucket - (THROUGHPUT_BUCKETS - 1) * BUCKET_SECONDS,
  );
  const until = lastBucket + BUCKET_SECONDS;
  const bucket = `(floor(extract(epoch FROM %s) / ${BUCKET_SECONDS}) * ${BUCKET_SECONDS})::bigint`;
  const [texts, calls] = await Promise.all([
    queryRows(
      db.pool,
      bucketRow,
      `SELECT ${bucket.replace("%s", "finished_at")} AS bucket, count(*)::int AS n FROM run_texts
        WHERE run_id = $1 AND outcome <> 'pending' AND finished_at >= to_timestamp($2) AND finished_at < to_timestamp($3) GROUP BY 1`,
      [runId, firstBucket, until],
    ),
    queryRows(
      db.pool,
      bucketRow,
      `SELECT ${bucket.replace("%s", "created_at")} AS bucket, count(*)::int AS n FROM backend_calls
        WHERE first_run_id = $1 AND created_at >= to_timestamp($2) AND created_at < to_timestamp($3) GROUP BY 1`,
      [runId, firstBucket, until],
    ),
  ]);
  const textsAt = new Map(texts.map((row) => [row.bucket, row.n]));
  const callsAt = new Map(calls.map((row) => [row.bucket, row.n]));
  const points: ThroughputPoint[] = [];
  for (let at = firstBucket; at <= lastBucket; at += BUCKET_SECONDS) {
    points.push({ at, texts: textsAt.get(at) ?? 0, calls: callsAt.get(at) ?? 0 });
  }
  return { bucketSeconds: BUCKET_SECONDS, points };
}

const failedItemRow = z.object({
  id: z.number().int(),
  source_text_id: z.number().int(),
  external_id: z.string().nullable(),
  stage: z.string(),
  reason: z.string(),
  raw_output: z.string().nullable(),
  raw_length: z.number().int().nullable(),
  call_key: z.string().nullable(),
  created_at: z.date(),
});

/** The run's failed items, newest first, a page at a time (keyset on the failure id). */
// Stays SQL: a LEFT JOIN to source_texts (no relation in the schema) and left()/length() of the raw output.
export async function runFailures(
  db: Database,
  runId: string,
  options: { before?: number | null; limit?: number } = {},
): Promise<FailurePage> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), MAX_FAILURE_PAGE);
  const rows = await queryRows(
    db.pool,
    failedItemRow,
    `SELECT f.id, f.source_text_id, s.external_id, f.stage, f.reason, left(f.raw_output, $4) AS raw_output,
            length(f.raw_output) AS raw_length, f.call_key, f.created_at
       FROM run_failures f LEFT JOIN source_texts s ON s.id = f.source_text_id
      WHERE f.run_id = $1 AND ($2::bigint IS NULL OR f.id < $2)
      ORDER BY f.id DESC LIMIT $3`,
    [runId, options.before ?? null, limit + 1, RAW_OUTPUT_CHARS],
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      sourceTextId: row.source_text_id,
      externalId: row.external_id,
      stage: row.stage,
      reason: row.reason,
      rawOutput: row.raw_output,
      rawOutputLength: row.raw_length ?? 0,
      callKey: row.call_key?.trim() ?? null,
      createdAt: row.created_at.toISOString(),
    })),
    nextBefore: rows.length > limit ? (page.at(-1)?.id ?? 0) : null,
  };
}

const PROMPT_ORDER = new Map<string, number>(DEFAULT_PROMPTS.map((prompt, index) => [prompt.key, index]));

export async function runPromptVersions(db: Database, runId: string): Promise<RunPromptVersion[]> {
  const rows = await db.prisma.runPrompt.findMany({
    where: { runId },
    select: { promptTemplate: { select: { key: true, version: true, checksum: true, role: true, source: true } } },
  });
  const rank = (key: string) => PROMPT_ORDER.get(key) ?? Number.MAX_SAFE_INTEGER;
  return rows.map((row) => row.promptTemplate).sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

export function runConfigView(stored: unknown): RunConfigView | null {
  const parsed = runConfigSchema.safeParse(stored);
  if (!parsed.success) return null;
  const config = parsed.data;
  return {
    limit: config.limit ?? null,
    seed: config.seed,
    tierThreshold: config.tierThreshold,
    batchSize: config.batchSize,
    outputRetries: config.outputRetries,
    rewardEndpoint: config.rewardEndpoint,
    roles: PIPELINE_ROLES.map((role) => {
      const settings = config.roles[role];
      const sampling = Object.fromEntries(
        Object.entries(settings.sampling).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
      );
      return {
        role,
        baseUrl: displayUrl(settings.baseUrl),
        model: settings.model,
        apiKeyEnv: settings.apiKeyEnv ?? null,
        maxInFlight: settings.maxInFlight,
        server: displayUrl(normalizeBaseUrl(settings.baseUrl)),
        adaptiveConcurrency: settings.adaptiveConcurrency,
        timeoutMs: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        structuredOutputs: settings.structuredOutputs,
        sampling,
      };
    }),
  };
}

export async function runDetail(db: Database, runId: string): Promise<RunDetail | null> {
  // The stored config is checked by runConfigView, which shows an older studio's config as null.
  const row = await db.prisma.run.findUnique({ where: { id: runId }, select: { config: true } });
  if (!row) return null;
  const [stages, throughput, failures, prompts] = await Promise.all([
    runStages(db, runId),
    runThroughput(db, runId),
    runFailures(db, runId),
    runPromptVersions(db, runId),
  ]);
  return { stages, throughput, failures, prompts, config: runConfigView(row.config) };
}

export function summaryView(summary: RunSummary): RunSummaryView {
  return {
    ...summary,
    createdAt: summary.createdAt.toISOString(),
    startedAt: summary.startedAt?.toISOString() ?? null,
    finishedAt: summary.finishedAt?.toISOString() ?? null,
  };
}

/** The run page's whole state: its summary and its detail, or null for an unknown run. */
export async function runSnapshot(db: Database, runId: string): Promise<RunSnapshot | null> {
  const [summary, detail] = await Promise.all([runSummary(db, runId), runDetail(db, runId)]);
  if (!summary || !detail) return null;
  return { summary: summaryView(summary), detail };
}
