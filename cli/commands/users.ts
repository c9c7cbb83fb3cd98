import { z } from "zod";
import { CommandError, parseCommandLine, printJson, type Command } from "../command";
import { cliUserId, noteCliAudit, requireCliRole } from "../cli-actor";
import { connectDatabase } from "../../lib/db/database";
import { ROLES } from "../../lib/auth/roles";
import {
  createUser,
  listUsers,
  newUserSchema,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  UserError,
  type UserView,
} from "../../lib/auth/users";

const usage = `Usage: finemed users [list] [--json]
       finemed users create --email EMAIL --role viewer|curator|approver|admin [--name NAME] [--json]
       finemed users role EMAIL --role ROLE
       finemed users disable EMAIL | enable EMAIL
       finemed users password        (your own: FINEMED_USER + FINEMED_PASSWORD, new one in FINEMED_NEW_PASSWORD)

People who sign in to the studio (admin only). create reads the initial password from
FINEMED_NEW_PASSWORD, or prints a generated one once. On a database with no users and no service
tokens yet, create needs no credentials (the bootstrap of a fresh machine); afterwards the caller is an
admin (FINEMED_TOKEN, or FINEMED_USER + FINEMED_PASSWORD).

password changes the signed-in user's own password (any role) to FINEMED_NEW_PASSWORD and ends their
sessions. It is the one command a one-time password (a generated initial one) may run.

Exit codes: 0 done, 1 refused (unknown user, exists already, last admin), 2 usage, 3 not allowed.`;

const Arguments = z.object({
  positionals: z.array(z.string()).max(2),
  email: z.email().optional(),
  role: z.enum(ROLES).optional(),
  name: z.string().trim().min(1).optional(),
  json: z.boolean().default(false),
});

function describe(user: UserView): string {
  return `${user.email.padEnd(32)}  ${user.role.padEnd(8)}  ${user.disabled ? "disabled" : "enabled "}  ${user.name}`;
}

export const usersCommand: Command = {
  name: "users",
  summary: "list, create and manage the people who sign in (admin)",
  usage,
  async run(argv) {
    const args = parseCommandLine(
      argv,
      { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
      Arguments,
      true,
    );
    const action = args.positionals[0] ?? "list";
    if (!["list", "create", "role", "disable", "enable", "password"].includes(action))
      throw new CommandError(`unknown action '${action}': use list, create, role, disable, enable or password`, 2);
    if (action === "password") return changeOwnPassword();
    await requireCliRole("admin", { bootstrap: action === "create" });
    const db = await connectDatabase();
    try {
      if (action === "list") {
        const users = await listUsers(db);
        if (args.json) printJson({ users });
        else process.stdout.write(users.length === 0 ? "no users yet\n" : `${users.map(describe).join("\n")}\n`);
        return 0;
      }
      if (action === "create") {
        if (!args.email || !args.role) throw new CommandError("create needs --email EMAIL and --role ROLE", 2);
        const given = process.env.FINEMED_NEW_PASSWORD;
        const password = given ?? (await import("node:crypto")).randomBytes(12).toString("base64url");
        const user = await createUser(db, {
          email: args.email,
          role: args.role,
          name: args.name,
          password,
          mustChangePassword: given === undefined,
        });
        noteCliAudit({ type: "user", id: user.email }, { role: user.role });
        if (args.json) printJson({ user, ...(given === undefined ? { password } : {}) });
        else
          process.stdout.write(
            `${describe(user)}\n${given === undefined ? `initial password (shown once; changed at first sign-in): ${password}\n` : ""}`,
          );
        return 0;
      }
      const email = args.positionals[1];
      if (!email) throw new CommandError(`${action} needs the user's EMAIL`, 2);
      const found = (await listUsers(db)).find((user) => user.email === email.trim().toLowerCase());
      if (!found) throw new CommandError(`no user ${email}`, 1);
      let user: UserView;
      if (action === "role") {
        if (!args.role) throw new CommandError("role needs --role ROLE", 2);
        user = await setUserRole(db, found.id, args.role);
      } else user = await setUserDisabled(db, found.id, action === "disable");
      noteCliAudit({ type: "user", id: user.email }, { role: user.role, disabled: user.disabled });
      if (args.json) printJson({ user });
      else process.stdout.write(`${describe(user)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof UserError || error instanceof z.ZodError)
        throw new CommandError(error.message, error instanceof UserError ? 1 : 2);
      throw error;
    } finally {
      await db.close();
    }
  },
};

/** The signed-in user's own password, replaced by FINEMED_NEW_PASSWORD (the way out of a one-time password). */
async function changeOwnPassword(): Promise<number> {
  const actor = await requireCliRole("viewer", { passwordChange: true });
  const userId = cliUserId();
  if (!userId) throw new CommandError("password changes a user's own password: sign in with FINEMED_USER and FINEMED_PASSWORD", 2);
  const checked = newUserSchema.shape.password.safeParse(process.env.FINEMED_NEW_PASSWORD ?? "");
  if (!checked.success)
    throw new CommandError(
      `set FINEMED_NEW_PASSWORD to the new password (${checked.error.issues[0]?.message ?? "8 to 256 characters"})`,
      2,
    );
  if (checked.data === process.env.FINEMED_PASSWORD)
    throw new CommandError("FINEMED_NEW_PASSWORD is the current password: choose a different one", 2);
  const db = await connectDatabase();
  try {
    await setUserPassword(db, userId, checked.data);
  } finally {
    await db.close();
  }
  noteCliAudit({ type: "user", id: actor.name }, {});
  process.stdout.write(`password changed for ${actor.name}; use the new one in FINEMED_PASSWORD from now on\n`);
  return 0;
}
