import { isAbsolute } from "node:path";
import { z } from "zod";
import { CHAIN_STAGE_KEYS } from "./chain-stages";
import { TEMPLATE_PLACEHOLDERS, templatePlaceholders } from "./sbatch-template";

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name" });
// A value under env is written into every job script in clear: secrets belong in the cluster's own environment.
const SECRET_LIKE = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE/i;
const slurmWord = z.string().regex(/^[A-Za-z0-9_.,:@+-]{1,128}$/, { error: "letters, digits and _.,:@+- only" });
const stageKey = z.enum(CHAIN_STAGE_KEYS);
const command = z.string().trim().min(1).max(4000);

export const CLUSTER_KINDS = ["slurm", "kubernetes"] as const;
export const SUBMIT_MODES = ["local", "ssh", "slurmrestd"] as const;

export const kubernetesSettingsSchema = z.object({
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    .max(63)
    .default("default"),
  image: z.string().min(1).max(500).default("hiyouga/llamafactory:latest"),
  /** The PersistentVolumeClaim holding the export (mounted at /export) and stage outputs. */
  exportClaim: z
    .string()
    .regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/)
    .max(253)
    .default("finemed-export"),
  gpuResource: z.string().min(1).max(100).default("nvidia.com/gpu"),
});

/** A cluster profile as stored and edited: where and how the chain is submitted, and with what. */
export const clusterProfileSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, { error: "profile names are lower-case letters, digits and ._- (at most 63)" }),
    kind: z.enum(CLUSTER_KINDS).default("slurm"),
    submitMode: z.enum(SUBMIT_MODES).default("local"),
    ssh: z
      .object({
        host: z.string().regex(/^[A-Za-z0-9_.:-]{1,253}$/, { error: "a host name or address" }),
        user: z
          .string()
          .regex(/^[a-z_][a-z0-9_.-]{0,31}$/)
          .nullable()
          .default(null),
        port: z.number().int().min(1).max(65_535).nullable().default(null),
      })
      .nullable()
      .default(null),
    restd: z
      .object({
        url: z.url({ protocol: /^https?$/ }),
        /** The environment variable holding the JWT; the token itself is never stored. */
        tokenEnv: envName,
        userName: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/),
        apiVersion: z
          .string()
          .regex(/^v0\.0\.\d+$/)
          .default("v0.0.38"),
      })
      .nullable()
      .default(null),
    partition: slurmWord.nullable().default(null),
    account: slurmWord.nullable().default(null),
    /** GPUs per stage job (--gres=gpu:N); 0 leaves --gres out. The paper used 4 A100-80G. */
    gpus: z.number().int().min(0).max(64).default(0),
    cpusPerTask: z.number().int().min(1).max(512).default(1),
    /** Slurm time limit: minutes, or [days-]hours:minutes:seconds. */
    timeLimit: z
      .string()
      .regex(/^(\d+-)?\d+(:\d{2}){0,2}$/, { error: "a Slurm time limit such as 2-00:00:00" })
      .default("1-00:00:00"),
    /** Container or module lines run before the trainer (module load cuda/12.1, source venv/bin/activate, …). */
    setupLines: z.array(z.string().max(2000)).max(50).default([]),
    /** Non-secret environment for every job (and for the Slurm clients, e.g. SLURM_CONF). */
    env: z.record(envName, z.string().max(4000)).default({}),
    /** The trainer command of a stage without its own entry in trainerCommands. */
    trainerCommand: command,
    trainerCommands: z.partialRecord(stageKey, command).default({}),
    /** Whole sbatch templates replacing the default for one stage. */
    stageTemplates: z.partialRecord(stageKey, z.string().min(1).max(20_000)).default({}),
    /** The interpreter of the TTT job and the evaluation on the cluster ({{python}}): one with torch and transformers. */
    python: z.string().trim().min(1).max(500).default("python3"),
    /** The benchmark JSONL both evaluations answer ({{benchmark}}; see training/README.md), on the cluster. */
    benchmark: z.string().trim().min(1).max(4000).nullable().default(null),
    /** The model the evaluations read ({{trainedModel}}); null: the DPO stage's LLaMA-Factory output in the export. */
    trainedModel: z.string().trim().min(1).max(4000).nullable().default(null),
    /** Where job logs and stage outputs go (absolute, on the cluster); null: FINEMED_HOME/training. */
    workDir: z.string().refine(isAbsolute, { error: "workDir must be an absolute path" }).nullable().default(null),
    kubernetes: kubernetesSettingsSchema.default(kubernetesSettingsSchema.parse({})),
  })
  .superRefine((profile, context) => {
    if (profile.kind === "slurm" && profile.submitMode === "ssh" && !profile.ssh)
      context.addIssue({ code: "custom", path: ["ssh"], message: "submitMode ssh needs ssh.host" });
    if (profile.kind === "slurm" && profile.submitMode === "slurmrestd" && !profile.restd)
      context.addIssue({
        code: "custom",
        path: ["restd"],
        message: "submitMode slurmrestd needs restd.url, restd.tokenEnv and restd.userName",
      });
    for (const name of Object.keys(profile.env)) {
      if (SECRET_LIKE.test(name))
        context.addIssue({
          code: "custom",
          path: ["env", name],
          message: "looks like a secret: keep secrets in the cluster's environment, not in a profile",
        });
    }
    const texts: [string[], string][] = [
      [["trainerCommand"], profile.trainerCommand],
      ...Object.entries(profile.trainerCommands).map(([key, text]): [string[], string] => [["trainerCommands", key], text ?? ""]),
      ...Object.entries(profile.stageTemplates).map(([key, text]): [string[], string] => [["stageTemplates", key], text ?? ""]),
    ];
    for (const [path, text] of texts) {
      const unknown = templatePlaceholders(text).filter((name) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name));
      if (unknown.length > 0)
        context.addIssue({
          code: "custom",
          path,
          message: `unknown placeholder ${unknown.map((n) => `{{${n}}}`).join(", ")}; known: ${TEMPLATE_PLACEHOLDERS.join(", ")}`,
        });
    }
  });

export type ClusterProfile = z.output<typeof clusterProfileSchema>;
export type ClusterProfileInput = z.input<typeof clusterProfileSchema>;

export const DEFAULT_PROFILE_NAME = "local";

/**
 * The stand-in stage script: validates the stage's split files against the manifest and writes a
 * result. The studio's demo and the tests train with it; a real cluster sets its trainer command.
 */
export const STAND_IN_COMMAND =
  "{{node}} {{studioDir}}/examples/training/stand-in-stage.mjs --stage {{stage}} --export {{exportDir}} --out {{outputDir}}";

/** What a real Slurm cluster would set (shown in the profile editor; configuration, not code). */
export const LLAMAFACTORY_COMMAND = "llamafactory-cli train {{config}}";

/** Stage 6: the TTT job shipped in the export (training/ttt.py), on the chain's trained model. */
export const TTT_COMMAND =
  "{{python}} training/ttt.py --export {{exportDir}} --benchmark {{benchmark}} --model {{trainedModel}} --out {{outputDir}}";

/** Stage 7: the paper's baseline, the same benchmark without TTT (3-shot, 3 repeats, mean). */
export const BASELINE_COMMAND = "{{python}} training/evaluate.py --benchmark {{benchmark}} --model {{trainedModel}} --out {{outputDir}}";

/**
 * The built-in profile: sbatch on this machine, stand-in stages (file checks, no training), no GPUs.
 * The evaluations are stand-ins too: there is no trained model to evaluate.
 */
export function defaultProfile(): ClusterProfile {
  return clusterProfileSchema.parse({
    name: DEFAULT_PROFILE_NAME,
    kind: "slurm",
    submitMode: "local",
    trainerCommand: STAND_IN_COMMAND,
    trainerCommands: { "6_ttt_eval": STAND_IN_COMMAND, "7_baseline_eval": STAND_IN_COMMAND },
    timeLimit: "30:00",
  });
}

export function describeProfileIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "profile"}: ${issue.message}`).join("; ");
}
