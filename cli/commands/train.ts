import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { noteCliAudit, requireCliRole } from "../cli-actor";
import type { Role } from "../../lib/auth/roles";
import { connectDatabase, type Database } from "../../lib/db/database";
import { DatasetError, DatasetVersionNotFound } from "../../lib/datasets";
import { ExportError, type ExportLockOptions } from "../../lib/export";
import {
  approvedVersion,
  cancelChain,
  ensureTrainingExport,
  getProfile,
  listChains,
  listProfiles,
  LOG_STREAMS,
  pollChain,
  readJobLog,
  saveProfile,
  startChain,
  TrainingError,
  TrainingInputError,
  writeKubernetesManifests,
  STAND_IN_LABEL,
  preflight,
  jobBundle,
  bundleTarGz,
  type TrainingChainView,
  type TrainingExport,
} from "../../lib/training";

const usage = `Usage: finemed train start --dataset VERSION_ID [--profile NAME] [--export DIR] [--allow-short-splits] [--follow] [--json]
       finemed train list [--dataset VERSION_ID] [--json]
       finemed train show CHAIN_ID [--json]
       finemed train follow CHAIN_ID [--interval SECONDS] [--json]
       finemed train cancel CHAIN_ID [--json]
       finemed train logs CHAIN_ID --stage STAGE [--stream out|err] [--bytes N]
       finemed train profiles [show [NAME]] [--json]
       finemed train profiles set --file PROFILE.json [--json]
       finemed train k8s --dataset VERSION_ID --out DIR [--profile NAME] [--json]
       finemed train preflight [--profile NAME] [--json]
       finemed train bundle --dataset VERSION_ID --out FILE.tar.gz [--profile NAME] [--export DIR] [--allow-short-splits] [--json]

The paper's training chain for an approved dataset version: SFT stage 1 -> SFT stage 2 -> SFT stage 3
-> o1 SFT -> DPO, then the "o1 + TTT" evaluation (training/ttt.py) and the "o1" baseline (training/evaluate.py),
submitted to Slurm as seven jobs, each with
--dependency=afterok on the one before and --kill-on-invalid-dep=yes, so a failed stage cancels the
rest. A cluster profile says how to submit (sbatch here, sbatch over ssh, or slurmrestd), the
partition, GPUs, time limit, container/module lines, the trainer command per stage and the sbatch
template per stage, the benchmark both evaluations answer and the python with torch. The built-in
profile 'local' runs stand-in stages (file check, no training) that check the split files against the
export's manifest; a real cluster sets e.g. "llamafactory-cli train {{config}}".

  start     exports the version if --export is not given (into FINEMED_HOME/exports/VERSION_ID, reused
            when present) and submits the chain; --follow then waits for it like 'follow'. When a split
            of the export is empty or short (the paper's sizes make every small version short), start
            and bundle refuse (exit 1, the list on stderr) and export nothing until --allow-short-splits,
            which the export's card and manifest (when start or bundle makes the export) and the audit record
  follow    polls the cluster until the chain ends: exit 0 when every stage completed, 1 when a stage
            failed or the chain was cancelled (the reason on stderr)
  logs      the tail of a stage's stdout (or stderr) as the cluster wrote it; STAGE is a stage key
            (1_sft_stage1 ... 7_baseline_eval) or a job id
  profiles  lists profiles, shows one, or stores one from a JSON file (admin); secrets never go in a
            profile: slurmrestd takes the NAME of the environment variable holding the token
  k8s       writes one Kubernetes Job manifest per stage into DIR/kubernetes/ (clusters without Slurm)
  preflight says whether this machine can submit with the profile (sbatch on PATH, ssh, slurmrestd's
            ping, a Kubernetes context) and why not; start refuses for the same reason (exit 1)
  bundle    writes the job bundle (sbatch scripts, submit-chain.sh, trainer configs, the TTT job,
            the data manifest, Kubernetes manifests) as a .tar.gz to run on the cluster yourself

Roles: list, show, follow, logs and profiles need viewer; bundle curator; start and cancel approver; profiles set admin.
Exit codes: 0 done, 1 refused or failed (unapproved version, unknown chain, cluster error, failed chain),
2 usage or invalid profile, 3 not allowed (role).`;

const ACTIONS = ["start", "list", "show", "follow", "cancel", "logs", "profiles", "k8s", "preflight", "bundle"] as const;
type Action = (typeof ACTIONS)[number];

const Arguments = z.object({
  positionals: z.array(z.string()),
  dataset: z.uuid({ error: "--dataset must be a dataset version's id" }).optional(),
  profile: z.string().min(1).optional(),
  export: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  stream: z.enum(LOG_STREAMS).default("out"),
  bytes: z.coerce.number().int().min(1).max(1_000_000).default(64_000),
  interval: z.coerce.number().min(0.2).max(300).default(2),
  file: z.string().min(1).optional(),
  follow: z.boolean().default(false),
  "allow-short-splits": z.boolean().default(false),
  json: z.boolean().default(false),
});
type Args = z.infer<typeof Arguments>;

const OPTIONS = {
  dataset: { type: "string" },
  profile: { type: "string" },
  export: { type: "string" },
  out: { type: "string" },
  stage: { type: "string" },
  stream: { type: "string" },
  bytes: { type: "string" },
  interval: { type: "string" },
  file: { type: "string" },
  follow: { type: "boolean" },
  "allow-short-splits": { type: "boolean" },
  json: { type: "boolean" },
} as const;

function roleOf(action: Action, args: Args): Role {
  if (action === "start" || action === "cancel") return "approver";
  // As the studio's Download job bundle: it may export the version, which the audit records.
  if (action === "bundle") return "curator";
  if (action === "profiles" && args.positionals[1] === "set") return "admin";
  return "viewer";
}

function chainId(args: Args): string {
  const id = args.positionals[1];
  if (!id || args.positionals.length !== 2) throw new CommandError(`${args.positionals[0]} needs one CHAIN_ID`, 2);
  if (!z.uuid().safeParse(id).success) throw new CommandError(`'${id}' is not a training chain id`, 2);
  return id;
}

const time = (iso: string | null) => (iso ? iso.slice(11, 19) : "-");

function describeChain(chain: TrainingChainView): string {
  return [
    `chain ${chain.id}  ${chain.state}  profile ${chain.profileName}  by ${chain.submittedBy} at ${chain.createdAt}`,
    `  dataset version ${chain.versionId} (${chain.version.name ?? "?"}), approved by ${chain.version.approvedBy ?? "?"} at ${chain.version.approvedAt ?? "?"}`,
    `  export ${chain.exportDir} (manifest sha256 ${chain.manifestSha256.slice(0, 12)})`,
    ...(chain.reason ? [`  reason: ${chain.reason.split("\n").join("\n          ")}`] : []),
    ...chain.jobs.map(
      (job) =>
        `  ${String(job.stageOrder)}. ${job.stage.padEnd(15)} ${(job.clusterJobId ?? "-").padStart(7)}  ${job.state.padEnd(10)}${job.standIn ? ` (${STAND_IN_LABEL})` : ""} started ${time(job.startedAt)} ended ${time(job.endedAt)}${job.durationSeconds === null ? "" : ` (${job.durationSeconds} s)`}${job.exitCode === null ? "" : ` exit ${job.exitCode}`}${job.dependency ? `  ${job.dependency}` : ""}`,
    ),
    ...chain.evaluations.map(
      (e) =>
        `  ${e.mode === "ttt" ? "o1 + TTT" : "o1      "}: accuracy ${e.accuracy === null ? "-" : `${(e.accuracy * 100).toFixed(2)}%`}` +
        `${e.correct === null ? "" : ` (${e.correct}/${e.withAnswer})`}, ${e.answered}/${e.questions ?? "?"} answered${e.repeatAccuracies ? `, repeats ${e.repeatAccuracies.map((a) => (a * 100).toFixed(2)).join(" / ")}` : ""}${e.final ? "" : " (running)"}`,
    ),
  ].join("\n");
}

/** Says on stderr that the version's export is being made elsewhere (the studio, another command) and waited for. */
function waitingForExport(versionId: string): ExportLockOptions {
  return {
    onWait: (holder) => process.stderr.write(`another export of dataset version ${versionId} is running (${holder}); waiting for it\n`),
  };
}

/** What the audit records of short splits the person acknowledged (the export refuses them otherwise). */
function shortSplitsAudit(exported: TrainingExport, acknowledged: boolean): { shortSplitsAcknowledged?: string[] } {
  const splits = exported.manifest.shortSplits?.splits ?? [];
  return acknowledged && splits.length > 0 ? { shortSplitsAcknowledged: splits.map((s) => s.split) } : {};
}

/** Polls until the chain ends, printing each stage's state changes; 0 when every stage completed. */
async function follow(db: Database, id: string, args: Args): Promise<number> {
  const seen = new Map<string, string>();
  let chain = await pollChain(db, id);
  for (;;) {
    if (!args.json) {
      for (const job of chain.jobs) {
        if (seen.get(job.stage) === job.state) continue;
        seen.set(job.stage, job.state);
        process.stdout.write(
          `${new Date().toISOString().slice(11, 19)}  ${job.stage.padEnd(13)} ${job.state}${job.exitCode ? ` (exit ${job.exitCode})` : ""}\n`,
        );
      }
    }
    if (chain.finishedAt !== null) break;
    await new Promise((resolve) => setTimeout(resolve, args.interval * 1000));
    chain = await pollChain(db, id);
  }
  if (args.json) printJson(chain);
  else process.stdout.write(`chain ${chain.id} ${chain.state.toLowerCase()}\n`);
  if (chain.state === "COMPLETED") return 0;
  process.stderr.write(`finemed train: chain ${chain.id} ${chain.state.toLowerCase()}: ${chain.reason ?? "no reason recorded"}\n`);
  return 1;
}

async function run(db: Database, action: Action, args: Args, actor: string): Promise<number> {
  const print = (document: unknown, text: string) => (args.json ? printJson(document) : process.stdout.write(`${text}\n`));
  switch (action) {
    case "start": {
      if (!args.dataset) throw new CommandError("start needs --dataset VERSION_ID", 2);
      const acknowledgeShortSplits = args["allow-short-splits"];
      const exported = await ensureTrainingExport(
        db,
        args.dataset,
        args.export,
        { acknowledgeShortSplits, for: "chain" },
        waitingForExport(args.dataset),
      );
      const chain = await startChain(db, {
        versionId: args.dataset,
        exportDir: exported.dir,
        profileName: args.profile,
        actor,
        acknowledgeShortSplits,
      });
      noteCliAudit(
        { type: "training_chain", id: chain.id },
        { versionId: chain.versionId, profile: chain.profileName, ...shortSplitsAudit(exported, acknowledgeShortSplits) },
      );
      if (args.follow) {
        if (!args.json) process.stdout.write(`${describeChain(chain)}\n`);
        return follow(db, chain.id, args);
      }
      print(chain, describeChain(chain));
      return 0;
    }
    case "list": {
      const chains = await listChains(db, { versionId: args.dataset });
      print(
        { chains },
        chains.length === 0
          ? "no training chains yet: finemed train start --dataset VERSION_ID"
          : chains.map((c) => `${c.id}  ${c.state.padEnd(10)}  ${c.versionId}  ${c.profileName}  ${c.createdAt}`).join("\n"),
      );
      return 0;
    }
    case "show": {
      const chain = await pollChain(db, chainId(args));
      print(chain, describeChain(chain));
      return 0;
    }
    case "follow":
      return follow(db, chainId(args), args);
    case "cancel": {
      const chain = await cancelChain(db, chainId(args), actor);
      noteCliAudit({ type: "training_chain", id: chain.id }, { state: chain.state });
      print(chain, describeChain(chain));
      return 0;
    }
    case "logs": {
      const id = chainId(args);
      if (!args.stage) throw new CommandError("logs needs --stage STAGE (e.g. 2_sft_stage2)", 2);
      const log = await readJobLog(db, id, args.stage, args.stream, args.bytes);
      if (args.json) printJson(log);
      else if (log.text === null) process.stderr.write(`${log.path} does not exist yet (the stage has not started)\n`);
      else process.stdout.write(log.text);
      return 0;
    }
    case "profiles": {
      const [, sub = "list", name] = args.positionals;
      if (sub === "set") {
        if (!args.file) throw new CommandError("profiles set needs --file PROFILE.json", 2);
        let input: unknown;
        try {
          input = JSON.parse(await readFile(args.file, "utf8"));
        } catch (error) {
          throw new CommandError(`${args.file}: ${(error as Error).message}`, 2);
        }
        const stored = await saveProfile(db, input, actor);
        noteCliAudit({ type: "training_profile", id: stored.profile.name }, { submitMode: stored.profile.submitMode });
        print(stored, `stored cluster profile ${stored.profile.name} (${stored.profile.kind}, ${stored.profile.submitMode})`);
        return 0;
      }
      if (sub === "show") {
        const profile = await getProfile(db, name);
        print(profile, JSON.stringify(profile, null, 2));
        return 0;
      }
      if (sub !== "list") throw new CommandError(`profiles takes show [NAME] or set --file FILE, not '${sub}'`, 2);
      const profiles = await listProfiles(db);
      print(
        { profiles },
        profiles
          .map(
            (p) =>
              `${p.profile.name.padEnd(16)} ${p.profile.kind}/${p.profile.submitMode}  ${p.builtIn ? "built-in" : `by ${p.updatedBy} at ${p.updatedAt}`}  ${p.profile.trainerCommand}`,
          )
          .join("\n"),
      );
      return 0;
    }
    case "preflight": {
      const ready = await preflight(await getProfile(db, args.profile));
      print(
        ready,
        ready.ok ? `profile ${ready.profile}: ready (${ready.checked})` : `profile ${ready.profile}: cannot start here: ${ready.reason}`,
      );
      return ready.ok ? 0 : 1;
    }
    case "bundle": {
      if (!args.dataset || !args.out) throw new CommandError("bundle needs --dataset VERSION_ID and --out FILE.tar.gz", 2);
      const acknowledgeShortSplits = args["allow-short-splits"];
      const profile = await getProfile(db, args.profile);
      const exported = await ensureTrainingExport(
        db,
        args.dataset,
        args.export,
        { acknowledgeShortSplits, for: "bundle" },
        waitingForExport(args.dataset),
      );
      const bundle = await jobBundle(profile, exported);
      noteCliAudit({ type: "dataset", id: args.dataset }, { profile: profile.name, ...shortSplitsAudit(exported, acknowledgeShortSplits) });
      await pipeline(bundleTarGz(bundle), createWriteStream(args.out, { flags: "wx" }));
      print(
        { file: args.out, files: bundle.files.map((f) => f.path) },
        `wrote ${args.out}: ${bundle.files.length} files (${bundle.name}/)`,
      );
      return 0;
    }
    case "k8s": {
      if (!args.dataset || !args.out) throw new CommandError("k8s needs --dataset VERSION_ID and --out DIR", 2);
      await approvedVersion(db, args.dataset);
      const profile = await getProfile(db, args.profile);
      const written = await writeKubernetesManifests(profile, args.dataset, args.out);
      print({ files: written }, written.join("\n"));
      return 0;
    }
  }
}

export const trainCommand: Command = {
  name: "train",
  summary: "start, follow and cancel the training chain on Slurm; cluster profiles; Kubernetes manifests",
  usage,
  async run(argv) {
    const args = parseCommandLine(argv, OPTIONS, Arguments, true);
    const action = args.positionals[0];
    if (!action || !(ACTIONS as readonly string[]).includes(action))
      throw new CommandError(`the action is one of ${ACTIONS.join(", ")}`, 2);
    const actor = await requireCliRole(roleOf(action as Action, args));
    const db = await connectDatabase();
    try {
      return await run(db, action as Action, args, actor.name);
    } catch (error) {
      if (error instanceof TrainingInputError) throw new CommandError(error.message, 2);
      if (
        error instanceof TrainingError ||
        error instanceof DatasetError ||
        error instanceof ExportError ||
        error instanceof DatasetVersionNotFound
      )
        throw new CommandError(error.message, 1);
      throw error;
    } finally {
      await db.close();
    }
  },
};
