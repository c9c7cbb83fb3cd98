import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { noteCliAudit, requireCliRole } from "../cli-actor";
import type { Role } from "../../lib/auth/roles";
import { connectDatabase } from "../../lib/db/database";
import {
  ApprovalRefused,
  approveVersion,
  createVersion,
  DatasetError,
  diffVersions,
  getVersion,
  listVersions,
  ownWorkApproval,
  rejectVersion,
  submitVersion,
  type DatasetSelectionInput,
  type DatasetVersionView,
} from "../../lib/datasets";

const usage = `Usage: finemed dataset create --name NAME --run RUN_ID [--run RUN_ID ...] [filters] [--json]
       finemed dataset list [--json]
       finemed dataset show VERSION_ID [--json]
       finemed dataset submit VERSION_ID [--json]
       finemed dataset approve VERSION_ID [--json]
       finemed dataset reject VERSION_ID --reason TEXT [--json]
       finemed dataset diff VERSION_A VERSION_B [--limit N] [--json]

Dataset versions: a named selection of the kept instructions of some runs (curated labels over model
labels), frozen with its labels, response ids and a content hash. A version goes draft -> in_review
(submit) -> approved or rejected (approve / reject, approvers only). An approved version never changes;
export it with 'finemed export --dataset VERSION_ID --out DIR'.

Filters (create; over the samples of the runs, which must be refreshed):
  --tier common|complex      repeatable
  --primary NAME             primary department, repeatable
  --secondary NAME|None      secondary department, repeatable
  --label-source S           effective (default: curated over model), model or curated
  --min-quality N  --max-quality N        judge quality 1-10
  --min-difficulty N  --max-difficulty N  judge difficulty 1-10
  --min-relevance N  --max-relevance N    relevance to medicine 1-6
  --min-reward X  --max-reward X          reward-model score of the chosen answer
  --text QUERY               full-text search (websearch syntax)

Roles: list, show and diff need viewer; create and submit curator; approve and reject approver. The
actor is FINEMED_TOKEN's service token or FINEMED_USER + FINEMED_PASSWORD.

Exit codes: 0 done, 1 refused (wrong state, unknown version, empty selection), 2 usage, 3 not allowed (role).`;

const ACTIONS = ["create", "list", "show", "submit", "approve", "reject", "diff"] as const;
type Action = (typeof ACTIONS)[number];
const ROLE_OF: Record<Action, Role> = {
  list: "viewer",
  show: "viewer",
  diff: "viewer",
  create: "curator",
  submit: "curator",
  approve: "approver",
  reject: "approver",
};
const int = z.coerce.number().int();
const num = z.coerce.number();

const Arguments = z.object({
  positionals: z.array(z.string()),
  name: z.string().trim().min(1).optional(),
  run: z.array(z.uuid({ error: "--run must be a run's id" })).optional(),
  tier: z.array(z.enum(["common", "complex"])).optional(),
  primary: z.array(z.string().min(1)).optional(),
  secondary: z.array(z.string().min(1)).optional(),
  "label-source": z.enum(["effective", "model", "curated"]).optional(),
  "min-quality": int.optional(),
  "max-quality": int.optional(),
  "min-difficulty": int.optional(),
  "max-difficulty": int.optional(),
  "min-relevance": int.optional(),
  "max-relevance": int.optional(),
  "min-reward": num.optional(),
  "max-reward": num.optional(),
  text: z.string().trim().min(1).optional(),
  reason: z.string().trim().min(1, { error: "--reason must not be empty" }).optional(),
  limit: int.positive().max(10_000).default(20),
  json: z.boolean().default(false),
});
type Args = z.infer<typeof Arguments>;

const OPTIONS = {
  name: { type: "string" },
  run: { type: "string", multiple: true },
  tier: { type: "string", multiple: true },
  primary: { type: "string", multiple: true },
  secondary: { type: "string", multiple: true },
  "label-source": { type: "string" },
  "min-quality": { type: "string" },
  "max-quality": { type: "string" },
  "min-difficulty": { type: "string" },
  "max-difficulty": { type: "string" },
  "min-relevance": { type: "string" },
  "max-relevance": { type: "string" },
  "min-reward": { type: "string" },
  "max-reward": { type: "string" },
  text: { type: "string" },
  reason: { type: "string" },
  limit: { type: "string" },
  json: { type: "boolean" },
} as const;

const range = (min: number | undefined, max: number | undefined) => (min === undefined && max === undefined ? undefined : { min, max });

function selectionOf(args: Args): DatasetSelectionInput {
  if (!args.run || args.run.length === 0) throw new CommandError("create needs --run RUN_ID (one or more)", 2);
  return {
    runIds: args.run,
    filters: {
      labelSource: args["label-source"],
      tier: args.tier,
      primary: args.primary,
      secondary: args.secondary?.map((name) => (name.toLowerCase() === "none" ? null : name)),
      quality: range(args["min-quality"], args["max-quality"]),
      difficulty: range(args["min-difficulty"], args["max-difficulty"]),
      relevance: range(args["min-relevance"], args["max-relevance"]),
      reward: range(args["min-reward"], args["max-reward"]),
      text: args.text,
    },
  };
}

function describe(version: DatasetVersionView): string {
  const p = version.counts.pools;
  return [
    `dataset version ${version.id} "${version.name}" ${version.state.replace("_", " ")}${version.rejectionReason ? ` (rejected: ${version.rejectionReason})` : ""}`,
    `  ${version.memberCount} members (common ${version.counts.tiers.common}, complex ${version.counts.tiers.complex}); content hash ${version.contentHash}`,
    `  pools: SFT ${p.sft}, Internal Medicine ${p.internalMedicine}, Endocrinology ${p.endocrinology}, long-form ${p.longForm}, DPO pairs ${p.dpo}`,
    `  created by ${version.createdBy} at ${version.createdAt}${version.decidedBy ? `; ${version.state} by ${version.decidedBy} at ${version.decidedAt}` : ""}`,
  ].join("\n");
}

function positional(args: Args, count: number, what: string): string[] {
  const rest = args.positionals.slice(1);
  if (rest.length !== count) throw new CommandError(`${args.positionals[0]} needs ${what}`, 2);
  for (const id of rest) if (!z.uuid().safeParse(id).success) throw new CommandError(`'${id}' is not a dataset version id`, 2);
  return rest;
}

export const datasetCommand: Command = {
  name: "dataset",
  summary: "create, review, approve and compare dataset versions",
  usage,
  async run(argv) {
    const args = parseCommandLine(argv, OPTIONS, Arguments, true);
    const action = args.positionals[0];
    if (!action || !(ACTIONS as readonly string[]).includes(action))
      throw new CommandError(`the action is one of ${ACTIONS.join(", ")}`, 2);
    // Usage first (exit 2), then who is asking (exit 3).
    if (action === "create" && !args.name) throw new CommandError("create needs --name NAME", 2);
    if (action === "reject" && !args.reason) throw new CommandError("reject needs --reason TEXT", 2);
    const checked = await requireCliRole(ROLE_OF[action as Action]);
    const actor = checked.name;
    const db = await connectDatabase();
    try {
      const print = (document: unknown, text: string) => {
        if (args.json) printJson(document);
        else process.stdout.write(`${text}\n`);
      };
      switch (action) {
        case "create": {
          if (!args.name) throw new CommandError("create needs --name NAME", 2);
          const version = await createVersion(db, { name: args.name, selection: selectionOf(args), actor });
          noteCliAudit({ type: "dataset", id: version.id }, { state: version.state, members: version.memberCount });
          print(version, describe(version));
          break;
        }
        case "list": {
          const versions = await listVersions(db);
          print(
            { versions },
            versions.length === 0
              ? "no dataset versions yet: finemed dataset create --name NAME --run RUN_ID"
              : versions
                  .map(
                    (v) => `${v.id}  ${v.state.padEnd(9)}  ${String(v.memberCount).padStart(8)}  ${v.contentHash.slice(0, 12)}  ${v.name}`,
                  )
                  .join("\n"),
          );
          break;
        }
        case "show": {
          const [id] = positional(args, 1, "a VERSION_ID");
          const version = await getVersion(db, id!);
          print(
            version,
            [
              describe(version),
              ...version.events.map(
                (e) => `  ${e.at}  ${e.fromState ?? "-"} -> ${e.toState}  by ${e.actor}${e.reason ? `: ${e.reason}` : ""}`,
              ),
            ].join("\n"),
          );
          break;
        }
        case "submit": {
          const [id] = positional(args, 1, "a VERSION_ID");
          const version = await submitVersion(db, id!, actor);
          noteCliAudit({ type: "dataset", id: version.id }, { state: version.state, members: version.memberCount });
          print(version, describe(version));
          break;
        }
        case "approve": {
          const [id] = positional(args, 1, "a VERSION_ID");
          const own = await ownWorkApproval(db, id!, actor);
          const version = await approveVersion(db, id!, actor, { actorRoles: [checked.role] });
          // Allowed only because no one else can approve (a single-approver studio): say so.
          if (own.ownWork) {
            process.stderr.write(
              `note: you are approving your own work (${actor} created or submitted this version; no other approver exists)\n`,
            );
          }
          noteCliAudit({ type: "dataset", id: version.id }, { state: version.state, members: version.memberCount });
          print(version, describe(version));
          break;
        }
        case "reject": {
          const [id] = positional(args, 1, "a VERSION_ID");
          if (!args.reason) throw new CommandError("reject needs --reason TEXT", 2);
          const version = await rejectVersion(db, id!, actor, args.reason, { actorRoles: [checked.role] });
          noteCliAudit({ type: "dataset", id: version.id }, { state: version.state, members: version.memberCount });
          print(version, describe(version));
          break;
        }
        case "diff": {
          const [a, b] = positional(args, 2, "VERSION_A and VERSION_B");
          const diff = await diffVersions(db, a!, b!, args.limit);
          const label = (l: { primary: string | null; secondary: string | null } | null) =>
            l ? `${l.primary ?? "-"} / ${l.secondary ?? "None"}` : "-";
          print(
            diff,
            [
              `${diff.from.name} (${diff.from.id}) -> ${diff.to.name} (${diff.to.id})`,
              `  added ${diff.counts.added}, removed ${diff.counts.removed}, relabeled ${diff.counts.relabeled}, responses changed ${diff.counts.responseChanged}, unchanged ${diff.counts.unchanged}`,
              ...diff.added.map((e) => `  + ${e.instructionId}  ${label(e.after)}`),
              ...diff.removed.map((e) => `  - ${e.instructionId}  ${label(e.before)}`),
              ...diff.relabeled.map((e) => `  ~ ${e.instructionId}  ${label(e.before)} -> ${label(e.after)}`),
            ].join("\n"),
          );
          break;
        }
      }
      return 0;
    } catch (error) {
      if (error instanceof ApprovalRefused) throw new CommandError(error.message, 3);
      if (error instanceof DatasetError) throw new CommandError(error.message, 1);
      throw error;
    } finally {
      await db.close();
    }
  },
};
