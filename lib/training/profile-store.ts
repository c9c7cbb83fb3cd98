import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { clusterProfileSchema, defaultProfile, DEFAULT_PROFILE_NAME, describeProfileIssues, type ClusterProfile } from "./cluster-profile";
import { TrainingError, TrainingInputError } from "./training-errors";

const text = z.string();
const optionalText = z.string().nullable();
const textMap = z.record(z.string(), z.string());
const settingsSchema = z.record(z.string(), z.unknown());
// A stored profile with the camelCase names of Prisma's model; saveProfile's RETURNING row names its columns the same way.
const profileRecord = z.object({
  name: text,
  kind: text,
  submitMode: text,
  sshHost: optionalText,
  sshUser: optionalText,
  restdUrl: optionalText,
  restdTokenEnv: optionalText,
  partition: optionalText,
  account: optionalText,
  stageTemplates: textMap,
  trainerCommands: textMap,
  workDir: optionalText,
  settings: settingsSchema,
  updatedBy: text,
  updatedAt: z.date(),
});
type ProfileRecord = z.output<typeof profileRecord>;
type JsonField = "stageTemplates" | "trainerCommands" | "settings";

/** Prisma's row: its columns are typed by the client, its jsonb columns (JsonValue there) are checked here. */
function recordOf(row: Omit<ProfileRecord, JsonField> & Record<JsonField, unknown>): ProfileRecord {
  return {
    ...row,
    stageTemplates: textMap.parse(row.stageTemplates),
    trainerCommands: textMap.parse(row.trainerCommands),
    settings: settingsSchema.parse(row.settings),
  };
}

const RETURNED_COLUMNS = `name, kind, submit_mode AS "submitMode", ssh_host AS "sshHost", ssh_user AS "sshUser", restd_url AS "restdUrl",
  restd_token_env AS "restdTokenEnv", partition, account, stage_templates AS "stageTemplates", trainer_commands AS "trainerCommands",
  work_dir AS "workDir", settings, updated_by AS "updatedBy", updated_at AS "updatedAt"`;

export interface StoredProfile {
  profile: ClusterProfile;
  /** null for the built-in default that was never edited. */
  updatedBy: string | null;
  updatedAt: string | null;
  builtIn: boolean;
}

function fromRecord(record: ProfileRecord): StoredProfile {
  const settings = record.settings;
  const profile = clusterProfileSchema.parse({
    ...settings,
    name: record.name,
    kind: record.kind,
    submitMode: record.submitMode,
    ssh: record.sshHost ? { host: record.sshHost, user: record.sshUser, port: settings.sshPort ?? null } : null,
    restd: record.restdUrl
      ? { url: record.restdUrl, tokenEnv: record.restdTokenEnv, userName: settings.restdUserName, apiVersion: settings.restdApiVersion }
      : null,
    partition: record.partition,
    account: record.account,
    stageTemplates: record.stageTemplates,
    trainerCommands: record.trainerCommands,
    workDir: record.workDir,
  });
  return { profile, updatedBy: record.updatedBy, updatedAt: record.updatedAt.toISOString(), builtIn: false };
}

const builtIn = (): StoredProfile => ({ profile: defaultProfile(), updatedBy: null, updatedAt: null, builtIn: true });

/** Every stored profile, and the built-in local one unless it was edited and stored. */
export async function listProfiles(db: Database): Promise<StoredProfile[]> {
  const rows = (await db.prisma.trainingClusterProfile.findMany({ orderBy: { name: "asc" } })).map((row) => fromRecord(recordOf(row)));
  return rows.some((stored) => stored.profile.name === DEFAULT_PROFILE_NAME) ? rows : [builtIn(), ...rows];
}

export async function getProfile(db: Database, name: string = DEFAULT_PROFILE_NAME): Promise<ClusterProfile> {
  const row = await db.prisma.trainingClusterProfile.findUnique({ where: { name } });
  if (row) return fromRecord(recordOf(row)).profile;
  if (name === DEFAULT_PROFILE_NAME) return defaultProfile();
  throw new TrainingError(`no cluster profile '${name}'`);
}

/** Validates and stores (creates or replaces) a profile; bad input changes nothing. */
export async function saveProfile(db: Database, input: unknown, actor: string): Promise<StoredProfile> {
  const parsed = clusterProfileSchema.safeParse(input);
  if (!parsed.success) throw new TrainingInputError(`invalid cluster profile: ${describeProfileIssues(parsed.error)}`);
  const p = parsed.data;
  const settings = {
    gpus: p.gpus,
    cpusPerTask: p.cpusPerTask,
    timeLimit: p.timeLimit,
    setupLines: p.setupLines,
    env: p.env,
    trainerCommand: p.trainerCommand,
    python: p.python,
    benchmark: p.benchmark,
    trainedModel: p.trainedModel,
    kubernetes: p.kubernetes,
    sshPort: p.ssh?.port ?? null,
    restdUserName: p.restd?.userName ?? null,
    restdApiVersion: p.restd?.apiVersion ?? null,
  };
  const [stored] = await queryRows(
    db.pool,
    profileRecord,
    `INSERT INTO training_cluster_profiles (name, kind, submit_mode, ssh_host, ssh_user, restd_url, restd_token_env, partition, account, stage_templates, trainer_commands, work_dir, settings, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
     ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, submit_mode = EXCLUDED.submit_mode, ssh_host = EXCLUDED.ssh_host, ssh_user = EXCLUDED.ssh_user,
       restd_url = EXCLUDED.restd_url, restd_token_env = EXCLUDED.restd_token_env, partition = EXCLUDED.partition, account = EXCLUDED.account,
       stage_templates = EXCLUDED.stage_templates, trainer_commands = EXCLUDED.trainer_commands, work_dir = EXCLUDED.work_dir, settings = EXCLUDED.settings,
       updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING ${RETURNED_COLUMNS}`,
    [
      p.name,
      p.kind,
      p.submitMode,
      p.ssh?.host ?? null,
      p.ssh?.user ?? null,
      p.restd?.url ?? null,
      p.restd?.tokenEnv ?? null,
      p.partition,
      p.account,
      JSON.stringify(p.stageTemplates),
      JSON.stringify(p.trainerCommands),
      p.workDir,
      JSON.stringify(settings),
      actor,
    ],
  );
  return fromRecord(stored!);
}
