import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { clusterProfileSchema, defaultProfile, DEFAULT_PROFILE_NAME, describeProfileIssues, type ClusterProfile } from "./cluster-profile";
import { TrainingError, TrainingInputError } from "./training-errors";

const text = z.string();
const optionalText = z.string().nullable();
const profileRow = z.object({
  name: text,
  kind: text,
  submit_mode: text,
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
  updated_by: text,
  updated_at: z.date(),
});
type ProfileRow = z.output<typeof profileRow>;

export interface StoredProfile {
  profile: ClusterProfile;
  /** null for the built-in default that was never edited. */
  updatedBy: string | null;
  updatedAt: string | null;
  builtIn: boolean;
}

function fromRow(row: ProfileRow): StoredProfile {
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

const builtIn = (): StoredProfile => ({ profile: defaultProfile(), updatedBy: null, updatedAt: null, builtIn: true });

/** Every stored profile, and the built-in local one unless it was edited and stored. */
export async function listProfiles(db: Database): Promise<StoredProfile[]> {
  const rows = (await queryRows(db.pool, profileRow, "SELECT * FROM training_cluster_profiles ORDER BY name")).map(fromRow);
  return rows.some((stored) => stored.profile.name === DEFAULT_PROFILE_NAME) ? rows : [builtIn(), ...rows];
}

export async function getProfile(db: Database, name: string = DEFAULT_PROFILE_NAME): Promise<ClusterProfile> {
  const [row] = await queryRows(db.pool, profileRow, "SELECT * FROM training_cluster_profiles WHERE name = $1", [name]);
  if (row) return fromRow(row).profile;
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
    profileRow,
    `INSERT INTO training_cluster_profiles (name, kind, submit_mode, ssh_host, ssh_user, restd_url, restd_token_env, partition, account, stage_templates, trainer_commands, work_dir, settings, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
     ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, submit_mode = EXCLUDED.submit_mode, ssh_host = EXCLUDED.ssh_host, ssh_user = EXCLUDED.ssh_user,
       restd_url = EXCLUDED.restd_url, restd_token_env = EXCLUDED.restd_token_env, partition = EXCLUDED.partition, account = EXCLUDED.account,
       stage_templates = EXCLUDED.stage_templates, trainer_commands = EXCLUDED.trainer_commands, work_dir = EXCLUDED.work_dir, settings = EXCLUDED.settings,
       updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING *`,
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
  return fromRow(stored!);
}
