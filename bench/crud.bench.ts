// The CRUD-shaped reads moved onto Prisma's client (issue 15), each timed beside the raw SQL it replaced
// (the former queryRows code, kept here as the baseline), on one pool of a real PostgreSQL server.
// Calls alternate between the two so that a busy neighbour on the machine weighs on both alike.
import { z } from "zod";
import { connectDatabase, type Database } from "../lib/db/database";
import { queryRows } from "../lib/db/checked-rows";
import { ROLES } from "../lib/auth/roles";
import { countUsers, listUsers, type UserView } from "../lib/auth/users";
import { countServiceTokens, listServiceTokens, type ServiceTokenView } from "../lib/auth/service-tokens";
import { getProfile, listProfiles, saveProfile, type StoredProfile } from "../lib/training/profile-store";
import { clusterProfileSchema, defaultProfile, type ClusterProfile } from "../lib/training/cluster-profile";
import { getVersion, listVersions, type DatasetVersionDetail } from "../lib/datasets/read-versions";
import { frozenDepartmentSchema, versionCountsSchema, VERSION_STATES, type DatasetVersionView } from "../lib/datasets/version-view";
import { datasetSelectionSchema } from "../lib/datasets/dataset-selection";
import { runPromptVersions, runStages, type RunPromptVersion } from "../lib/runs/run-detail";
import { DEFAULT_PROMPTS } from "../lib/pipeline/prompts";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";

const CALLS = Number(process.env.BENCH_CRUD_CALLS ?? 500);
const WARM_UP = 50;
const USERS = 200;
const TOKENS = 50;
const PROFILES = 20;
const VERSIONS = 100;
const PROMPTS = 8;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Pair {
  prisma: { p50: number; p95: number };
  sql: { p50: number; p95: number };
}

/** Both reads CALLS times, alternating (Prisma first on even calls, SQL first on odd ones), after a warm-up. */
async function pair(prisma: () => Promise<unknown>, sql: () => Promise<unknown>): Promise<Pair> {
  for (let i = 0; i < WARM_UP; i++) await Promise.all([prisma(), sql()]);
  const times = { prisma: [] as number[], sql: [] as number[] };
  const once = async (side: "prisma" | "sql") => {
    const started = performance.now();
    await (side === "prisma" ? prisma() : sql());
    times[side].push(performance.now() - started);
  };
  for (let i = 0; i < CALLS; i++) {
    if (i % 2 === 0) {
      await once("prisma");
      await once("sql");
    } else {
      await once("sql");
      await once("prisma");
    }
  }
  const summary = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
  return { prisma: summary(times.prisma), sql: summary(times.sql) };
}

/** A read is timed only once both sides give the very same view. */
function same(name: string, prisma: unknown, sql: unknown): void {
  const a = JSON.stringify(prisma);
  const b = JSON.stringify(sql);
  if (a !== b) throw new Error(`${name}: Prisma's view differs from the SQL baseline's\n${a.slice(0, 400)}\n${b.slice(0, 400)}`);
}

// ── The SQL baselines: the code these reads had before the move ────────────────────────────────────

const userRow = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  must_change_password: z.boolean(),
  created_at: z.date(),
});

async function listUsersSql(db: Database): Promise<UserView[]> {
  const rows = await queryRows(
    db.pool,
    userRow,
    "SELECT id, name, email, role, disabled, must_change_password, created_at FROM users ORDER BY created_at, email",
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    disabled: row.disabled,
    mustChangePassword: row.must_change_password,
    createdAt: row.created_at.toISOString(),
  }));
}

const countRow = z.object({ n: z.number().int() });

async function countSql(db: Database, table: "users" | "service_tokens"): Promise<number> {
  const [row] = await queryRows(db.pool, countRow, `SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}

const signInRow = userRow
  .pick({ id: true, email: true, role: true, disabled: true, must_change_password: true })
  .extend({ password: z.string().nullable() });

async function signInLookupSql(db: Database, email: string) {
  const [row] = await queryRows(
    db.pool,
    signInRow,
    `SELECT u.id, u.email, u.role, u.disabled, u.must_change_password, a.password
       FROM users u JOIN accounts a ON a.user_id = u.id AND a.provider_id = 'credential' WHERE u.email = $1`,
    [email],
  );
  return row
    ? { id: row.id, role: row.role, disabled: row.disabled, mustChangePassword: row.must_change_password, hash: row.password }
    : null;
}

/** The lookup verifyUserSignIn makes before the password hash is checked (the hash itself costs the same either way). */
async function signInLookupPrisma(db: Database, email: string) {
  const user = await db.prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      role: true,
      disabled: true,
      mustChangePassword: true,
      accounts: { where: { providerId: "credential" }, select: { password: true } },
    },
  });
  return user
    ? {
        id: user.id,
        role: user.role,
        disabled: user.disabled,
        mustChangePassword: user.mustChangePassword,
        hash: user.accounts[0]?.password ?? null,
      }
    : null;
}

const tokenRow = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  token_prefix: z.string(),
  created_by: z.string(),
  created_at: z.date(),
  last_used_at: z.date().nullable(),
  revoked_at: z.date().nullable(),
});

async function listServiceTokensSql(db: Database): Promise<ServiceTokenView[]> {
  const rows = await queryRows(
    db.pool,
    tokenRow,
    `SELECT id, name, role, token_prefix, created_by, created_at, last_used_at, revoked_at FROM service_tokens ORDER BY revoked_at IS NOT NULL, created_at`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.token_prefix,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  }));
}

const optionalText = z.string().nullable();
const profileRow = z.object({
  name: z.string(),
  kind: z.string(),
  submit_mode: z.string(),
  ssh_host: optionalText,
  ssh_user: optionalText,
  restd_url: optionalText,
  restd_token_env: optionalText,
  partition: optionalText,
  account: optionalText,
  stage_templates: z.record(z.string(), z.string()),
  trainer_commands: z.record(z.string(), z.string()),
  work_dir: optionalText,
  settings: z.record(z.string(), z.unknown()),
  updated_by: z.string(),
  updated_at: z.date(),
});

function profileFromRow(row: z.output<typeof profileRow>): StoredProfile {
  const settings = row.settings;
  const profile = clusterProfileSchema.parse({
    ...settings,
    name: row.name,
    kind: row.kind,
    submitMode: row.submit_mode,
    ssh: row.ssh_host ? { host: row.ssh_host, user: row.ssh_user, port: settings.sshPort ?? null } : null,
    restd: row.restd_url
      ? { url: row.restd_url, tokenEnv: row.restd_token_env, userName: settings.restdUserName, apiVersion: settings.restdApiVersion }
      : null,
    partition: row.partition,
    account: row.account,
    stageTemplates: row.stage_templates,
    trainerCommands: row.trainer_commands,
    workDir: row.work_dir,
  });
  return { profile, updatedBy: row.updated_by, updatedAt: row.updated_at.toISOString(), builtIn: false };
}

async function listProfilesSql(db: Database): Promise<StoredProfile[]> {
  const rows = (await queryRows(db.pool, profileRow, "SELECT * FROM training_cluster_profiles ORDER BY name")).map(profileFromRow);
  return rows.some((stored) => stored.profile.name === "local")
    ? rows
    : [{ profile: defaultProfile(), updatedBy: null, updatedAt: null, builtIn: true }, ...rows];
}

async function getProfileSql(db: Database, name: string): Promise<ClusterProfile> {
  const [row] = await queryRows(db.pool, profileRow, "SELECT * FROM training_cluster_profiles WHERE name = $1", [name]);
  if (!row) throw new Error(`no cluster profile '${name}'`);
  return profileFromRow(row).profile;
}

const versionRow = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(VERSION_STATES),
  content_hash: z.string(),
  member_count: z.number().int(),
  counts: versionCountsSchema,
  selection: datasetSelectionSchema,
  created_by: z.string(),
  created_at: z.date(),
  submitted_by: z.string().nullable(),
  submitted_at: z.date().nullable(),
  decided_by: z.string().nullable(),
  decided_at: z.date().nullable(),
  rejection_reason: z.string().nullable(),
});
const VERSION_COLUMNS = `id, name, state::text AS state, content_hash, member_count, counts, selection, created_by, created_at,
  submitted_by, submitted_at, decided_by, decided_at, rejection_reason`;
const iso = (value: Date | null) => (value === null ? null : value.toISOString());

function versionView(row: z.output<typeof versionRow>): DatasetVersionView {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    contentHash: row.content_hash,
    memberCount: row.member_count,
    counts: row.counts,
    selection: row.selection,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    submittedBy: row.submitted_by,
    submittedAt: iso(row.submitted_at),
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    rejectionReason: row.rejection_reason,
  };
}

async function listVersionsSql(db: Database): Promise<DatasetVersionView[]> {
  const rows = await queryRows(db.pool, versionRow, `SELECT ${VERSION_COLUMNS} FROM dataset_versions ORDER BY created_at DESC, id`);
  return rows.map(versionView);
}

const versionDetailRow = versionRow.extend({ departments: z.array(frozenDepartmentSchema) });
const versionEventRow = z.object({
  from_state: z.enum(VERSION_STATES).nullable(),
  to_state: z.enum(VERSION_STATES),
  actor: z.string(),
  reason: z.string().nullable(),
  created_at: z.date(),
});

async function getVersionSql(db: Database, versionId: string): Promise<DatasetVersionDetail> {
  const [row] = await queryRows(db.pool, versionDetailRow, `SELECT ${VERSION_COLUMNS}, departments FROM dataset_versions WHERE id = $1`, [
    versionId,
  ]);
  if (!row) throw new Error(`no version ${versionId}`);
  const events = await queryRows(
    db.pool,
    versionEventRow,
    `SELECT from_state::text AS from_state, to_state::text AS to_state, actor, reason, created_at FROM dataset_version_events WHERE version_id = $1 ORDER BY id`,
    [versionId],
  );
  return {
    ...versionView(row),
    departments: row.departments,
    events: events.map((e) => ({
      fromState: e.from_state,
      toState: e.to_state,
      actor: e.actor,
      reason: e.reason,
      at: e.created_at.toISOString(),
    })),
  };
}

const PROMPT_ORDER = new Map<string, number>(DEFAULT_PROMPTS.map((prompt, index) => [prompt.key, index]));
const promptRow = z.object({ key: z.string(), version: z.number().int(), checksum: z.string(), role: z.string(), source: z.string() });

async function runPromptVersionsSql(db: Database, runId: string): Promise<RunPromptVersion[]> {
  const rows = await queryRows(
    db.pool,
    promptRow,
    `SELECT p.key, p.version, p.checksum, p.role, p.source
       FROM run_prompts r JOIN prompt_templates p ON p.id = r.prompt_template_id WHERE r.run_id = $1`,
    [runId],
  );
  const rank = (key: string) => PROMPT_ORDER.get(key) ?? Number.MAX_SAFE_INTEGER;
  return rows.sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

const stageStatsRow = z.object({
  stage: z.string(),
  calls_made: z.number().int(),
  calls_reused: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  tokens_saved: z.number().int(),
  latency_ms_total: z.number().int(),
  failures: z.number().int(),
});

/** The statement runStages moved onto Prisma (its failed-text count stays SQL on both sides, so it is left out). */
async function stageStatsSql(db: Database, runId: string) {
  const rows = await queryRows(
    db.pool,
    stageStatsRow,
    `SELECT stage, calls_made, calls_reused, prompt_tokens, completion_tokens, tokens_saved, latency_ms_total, failures FROM run_stage_stats WHERE run_id = $1`,
    [runId],
  );
  return rows.map((row) => ({ stage: row.stage, promptTokens: row.prompt_tokens, latencyMsTotal: row.latency_ms_total }));
}

async function stageStatsPrisma(db: Database, runId: string) {
  const rows = await db.prisma.runStageStat.findMany({ where: { runId } });
  return rows.map((row) => ({ stage: row.stage, promptTokens: Number(row.promptTokens), latencyMsTotal: Number(row.latencyMsTotal) }));
}

const configRow = z.object({ config: z.unknown() });

async function runConfigSql(db: Database, runId: string): Promise<unknown> {
  const [row] = await queryRows(db.pool, configRow, "SELECT config FROM runs WHERE id = $1", [runId]);
  return row?.config ?? null;
}

async function runConfigPrisma(db: Database, runId: string): Promise<unknown> {
  return (await db.prisma.run.findUnique({ where: { id: runId }, select: { config: true } }))?.config ?? null;
}

// ── Seeding ────────────────────────────────────────────────────────────────────────────────────────

async function seed(db: Database): Promise<{ runId: string; versionId: string; profileName: string; email: string }> {
  // Users and their credential accounts in two statements (the hash is a stand-in: no sign-in is checked).
  await db.pool.query(
    `INSERT INTO users (id, name, email, role, created_at)
     SELECT 'bench-user-' || i, 'user ' || i, 'user' || i || '@crud.bench', (ARRAY['viewer','curator','approver','admin'])[1 + i % 4],
            now() - (($1 - i) * interval '1 minute')
       FROM generate_series(1, $1) AS i`,
    [USERS],
  );
  await db.pool.query(
    `INSERT INTO accounts (id, account_id, provider_id, user_id, password)
     SELECT 'bench-account-' || i, 'bench-user-' || i, 'credential', 'bench-user-' || i, 'stand-in-hash' FROM generate_series(1, $1) AS i`,
    [USERS],
  );
  // Every fifth token revoked, a third of them used: the list sorts live before revoked.
  await db.pool.query(
    `INSERT INTO service_tokens (name, role, token_sha256, token_prefix, created_by, created_at, last_used_at, revoked_at)
     SELECT 'bench-token-' || i, (ARRAY['viewer','curator','approver','admin'])[1 + i % 4], lpad(to_hex(i), 64, '0'), 'fm_bench' || i,
            'user1@crud.bench', now() - (($1 - i) * interval '1 minute'),
            CASE WHEN i % 3 = 0 THEN now() END, CASE WHEN i % 5 = 0 THEN now() END
       FROM generate_series(1, $1) AS i`,
    [TOKENS],
  );
  for (let i = 1; i <= PROFILES; i++) {
    await saveProfile(
      db,
      { ...defaultProfile(), name: `bench-${String(i).padStart(2, "0")}`, partition: "gpu", account: `lab${i}` },
      "bench",
    );
  }

  const corpus = await db.pool.query("INSERT INTO corpora (name) VALUES ('crud-bench') RETURNING id");
  const corpusId = z.object({ id: z.string() }).parse(corpus.rows[0]).id;
  const [run] = await queryRows(
    db.pool,
    z.object({ id: z.string() }),
    `INSERT INTO runs (name, corpus_id, config, seed, tier_threshold, created_by) VALUES ('crud-bench', $1, '{"seed":"bench"}', 'bench', 8, 'bench') RETURNING id`,
    [corpusId],
  );
  const runId = run!.id;
  await db.pool.query(
    `WITH templates AS (
       INSERT INTO prompt_templates (key, version, role, template, checksum, source, created_by)
       SELECT 'bench-prompt-' || i, 1, 'generator', repeat('template text ', 200), lpad(to_hex(i), 64, '0'), 'default', 'bench'
         FROM generate_series(1, $2) AS i RETURNING id)
     INSERT INTO run_prompts (run_id, prompt_template_id) SELECT $1, id FROM templates`,
    [runId, PROMPTS],
  );
  await db.pool.query(
    `INSERT INTO run_stage_stats (run_id, stage, calls_made, calls_reused, prompt_tokens, completion_tokens, tokens_saved, latency_ms_total, failures)
     SELECT $1, stage, 100 + n, n, 50000 + n, 20000 + n, 1000 * n, 123456 + n, n % 3
       FROM unnest(ARRAY['preflight','generation','judgement','complex-reasoning','direct-answer','reward','dpo','classification']) WITH ORDINALITY AS s(stage, n)`,
    [runId],
  );

  const counts = versionCountsSchema.parse({
    members: 1200,
    tiers: { common: 900, complex: 300 },
    pools: { sft: 900, internalMedicine: 200, endocrinology: 40, longForm: 300, dpo: 120 },
    departments: Array.from({ length: 29 }, (_, i) => ({
      primary: "Internal Medicine",
      secondary: `Department ${i}`,
      common: 30,
      complex: 10,
    })),
  });
  const selection = datasetSelectionSchema.parse({ runIds: [runId], filters: { quality: { min: 7 } } });
  const departments = Array.from({ length: 35 }, (_, i) => ({
    id: i + 1,
    level: i < 6 ? "primary" : "secondary",
    name: `Department ${i}`,
    aliases: [],
    parentId: i < 6 ? null : 1 + (i % 6),
  }));
  await db.pool.query(
    `WITH versions AS (
       INSERT INTO dataset_versions (name, selection, content_hash, member_count, counts, departments, created_by, created_at)
       SELECT 'bench-version-' || i, $2, lpad(to_hex(i), 64, '0'), 1200, $3, $4, 'user1@crud.bench', now() - (($1 - i) * interval '1 minute')
         FROM generate_series(1, $1) AS i RETURNING id)
     INSERT INTO dataset_version_events (version_id, from_state, to_state, actor) SELECT id, NULL, 'draft', 'user1@crud.bench' FROM versions`,
    [VERSIONS, JSON.stringify(selection), JSON.stringify(counts), JSON.stringify(departments)],
  );
  const [version] = await queryRows(
    db.pool,
    z.object({ id: z.string() }),
    "SELECT id FROM dataset_versions ORDER BY created_at DESC LIMIT 1",
  );
  await db.pool.query("ANALYZE");
  return { runId, versionId: version!.id, profileName: "bench-07", email: "user42@crud.bench" };
}

// ── The measurement ────────────────────────────────────────────────────────────────────────────────

const created = await createBenchDatabase();
const db = await connectDatabase({ url: created.url });
try {
  console.log(`crud bench on ${describeServer(created.url)}: ${CALLS} calls per read and side`);
  const { runId, versionId, profileName, email } = await seed(db);
  const reads: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
    [`listUsers (${USERS})`, () => listUsers(db), () => listUsersSql(db)],
    ["countUsers", () => countUsers(db), () => countSql(db, "users")],
    ["verifyUserSignIn lookup", () => signInLookupPrisma(db, email), () => signInLookupSql(db, email)],
    [`listServiceTokens (${TOKENS})`, () => listServiceTokens(db), () => listServiceTokensSql(db)],
    ["countServiceTokens", () => countServiceTokens(db), () => countSql(db, "service_tokens")],
    [`listProfiles (${PROFILES})`, () => listProfiles(db), () => listProfilesSql(db)],
    ["getProfile", () => getProfile(db, profileName), () => getProfileSql(db, profileName)],
    [`listVersions (${VERSIONS})`, () => listVersions(db), () => listVersionsSql(db)],
    ["getVersion (+ events)", () => getVersion(db, versionId), () => getVersionSql(db, versionId)],
    [`runPromptVersions (${PROMPTS})`, () => runPromptVersions(db, runId), () => runPromptVersionsSql(db, runId)],
    ["runStages: stage stats (8)", () => stageStatsPrisma(db, runId), () => stageStatsSql(db, runId)],
    ["runDetail: the run row", () => runConfigPrisma(db, runId), () => runConfigSql(db, runId)],
  ];
  for (const [name, prisma, sql] of reads) same(name, await prisma(), await sql());
  // runStages as a whole (its failed-text count stays SQL) must give numbers, not bigints.
  const stages = await runStages(db, runId);
  if (!stages.every((stage) => typeof stage.promptTokens === "number"))
    throw new Error("runStages gave a token count that is not a number");

  const results: Record<string, Pair> = {};
  for (const [name, prisma, sql] of reads) {
    results[name] = await pair(prisma, sql);
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  const ms = (value: number) => value.toFixed(2);
  console.log(
    formatTable(
      ["read", "Prisma p50", "Prisma p95", "SQL p50", "SQL p95", "p50 ratio"],
      Object.entries(results).map(([name, t]) => [
        name,
        ms(t.prisma.p50),
        ms(t.prisma.p95),
        ms(t.sql.p50),
        ms(t.sql.p95),
        `${(t.prisma.p50 / t.sql.p50).toFixed(2)}×`,
      ]),
    ),
  );
  const path = await writeBenchResult("crud", {
    machine: machineDescription(),
    server: describeServer(created.url),
    calls: CALLS,
    seeded: { users: USERS, tokens: TOKENS, profiles: PROFILES, versions: VERSIONS, prompts: PROMPTS },
    results,
  });
  console.log(`wrote ${path}`);
} finally {
  await db.close();
  await created.drop();
}
