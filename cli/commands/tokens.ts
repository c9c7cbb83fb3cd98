import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { noteCliAudit, requireCliRole } from "../cli-actor";
import { connectDatabase } from "../../lib/db/database";
import { ROLES } from "../../lib/auth/roles";
import { createServiceToken, listServiceTokens, revokeServiceToken, type ServiceTokenView } from "../../lib/auth/service-tokens";
import { UserError } from "../../lib/auth/users";

const usage = `Usage: finemed tokens [list] [--json]
       finemed tokens create --name NAME --role viewer|curator|approver|admin [--json]
       finemed tokens revoke NAME|ID

Service tokens for the CLI, scripts and CI (admin only): FINEMED_TOKEN=<token> for the CLI, or
Authorization: Bearer <token> over HTTP. The token is printed once; only its sha256 is stored. Actions
taken with it are recorded under its NAME. On a database with no users and no tokens yet, create needs
no credentials (the bootstrap of a fresh machine).

Exit codes: 0 done, 1 refused (exists already, unknown token), 2 usage, 3 not allowed.`;

const Arguments = z.object({
  positionals: z.array(z.string()).max(2),
  name: z.string().trim().min(1).optional(),
  role: z.enum(ROLES).optional(),
  json: z.boolean().default(false),
});

function describe(token: ServiceTokenView): string {
  return `${token.name.padEnd(24)}  ${token.role.padEnd(8)}  ${token.prefix}…  ${token.revokedAt ? `revoked ${token.revokedAt}` : `last used ${token.lastUsedAt ?? "never"}`}`;
}

export const tokensCommand: Command = {
  name: "tokens",
  summary: "create, list and revoke service tokens for the CLI and scripts (admin)",
  usage,
  async run(argv) {
    const args = parseCommandLine(argv, { name: { type: "string" }, role: { type: "string" }, json: { type: "boolean" } }, Arguments, true);
    const action = args.positionals[0] ?? "list";
    if (!["list", "create", "revoke"].includes(action)) throw new CommandError(`unknown action '${action}': use list, create or revoke`, 2);
    const actor = await requireCliRole("admin", { bootstrap: action === "create" });
    const db = await connectDatabase();
    try {
      if (action === "list") {
        const tokens = await listServiceTokens(db);
        if (args.json) printJson({ tokens });
        else process.stdout.write(tokens.length === 0 ? "no service tokens yet\n" : `${tokens.map(describe).join("\n")}\n`);
        return 0;
      }
      if (action === "create") {
        if (!args.name || !args.role) throw new CommandError("create needs --name NAME and --role ROLE", 2);
        const created = await createServiceToken(db, { name: args.name, role: args.role }, actor.name);
        noteCliAudit({ type: "service-token", id: created.view.name }, { role: created.view.role });
        if (args.json) printJson({ token: created.token, ...created.view });
        else process.stdout.write(`${describe(created.view)}\ntoken (shown once): ${created.token}\n`);
        return 0;
      }
      const which = args.positionals[1];
      if (!which) throw new CommandError("revoke needs the token's NAME or ID", 2);
      const revoked = await revokeServiceToken(db, which);
      noteCliAudit({ type: "service-token", id: revoked.name });
      if (args.json) printJson(revoked);
      else process.stdout.write(`${describe(revoked)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof UserError) throw new CommandError(error.message, 1);
      if (error instanceof z.ZodError) throw new CommandError(error.issues.map((issue) => issue.message).join("; "), 2);
      throw error;
    } finally {
      await db.close();
    }
  },
};
