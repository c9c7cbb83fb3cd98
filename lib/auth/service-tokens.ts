import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Database } from "../db/database";
import { inTransaction } from "../db/transaction";
import { queryRows } from "../db/checked-rows";
import { ROLES, type Actor, type Role } from "./roles";
import { UserError } from "./users";

/** Service tokens start with this, so logs and the audit masking recognise them. */
export const TOKEN_PREFIX = "fm_";

export interface ServiceTokenView {
  id: string;
  name: string;
  role: Role;
  /** The first characters only; the token itself is shown once, at creation. */
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const newServiceTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\w.@:-]+$/, { error: "a token name is letters, digits and . _ @ : -" }),
  role: z.enum(ROLES),
});

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
type TokenRow = z.output<typeof tokenRow>;

const COLUMNS = "id, name, role, token_prefix, created_by, created_at, last_used_at, revoked_at";

function toView(row: TokenRow): ServiceTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.token_prefix,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token: 32 random bytes, of which only the sha256 is stored (a random token needs no slow hash). */
export async function createServiceToken(
  db: Pick<Database, "pool">,
  input: { name: string; role: Role },
  createdBy: string,
): Promise<{ token: string; view: ServiceTokenView }> {
  const checked = newServiceTokenSchema.parse(input);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  // In a transaction of its own, so an audited request's event is marked committed with it.
  const [inserted] = await inTransaction(db, (client) =>
    queryRows(
      client,
      tokenRow,
      `INSERT INTO service_tokens (name, role, token_sha256, token_prefix, created_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
      [checked.name, checked.role, digest(token), token.slice(0, 10), createdBy],
    ),
  );
  if (!inserted) throw new UserError(`a service token named ${checked.name} exists already`, 409);
  return { token, view: toView(inserted) };
}

export async function listServiceTokens(db: Pick<Database, "pool">): Promise<ServiceTokenView[]> {
  const rows = await queryRows(db.pool, tokenRow, `SELECT ${COLUMNS} FROM service_tokens ORDER BY revoked_at IS NOT NULL, created_at`);
  return rows.map(toView);
}

export async function revokeServiceToken(db: Pick<Database, "pool">, idOrName: string): Promise<ServiceTokenView> {
  const byId = z.uuid().safeParse(idOrName).success;
  const [revoked] = await inTransaction(db, (client) =>
    queryRows(
      client,
      tokenRow,
      `UPDATE service_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE ${byId ? "id = $1::uuid" : "name = $1"} RETURNING ${COLUMNS}`,
      [idOrName],
    ),
  );
  if (!revoked) throw new UserError(`no service token ${idOrName}`, 404);
  return toView(revoked);
}

const actorRow = tokenRow.pick({ name: true, role: true });

/**
 * The actor a presented token stands for (its name and role), or null when unknown, revoked or
 * suspended: a token whose creator (or the creator of the token that made it, and so on) is a disabled
 * user works again only when that user is enabled again.
 */
export async function actorForServiceToken(db: Pick<Database, "pool">, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await queryRows(
    db.pool,
    actorRow,
    `WITH RECURSIVE makers (created_by, depth) AS (
       SELECT created_by, 0 FROM service_tokens WHERE token_sha256 = $1
       UNION ALL
       SELECT t.created_by, m.depth + 1 FROM service_tokens t JOIN makers m ON t.name = m.created_by WHERE m.depth < 32
     )
     UPDATE service_tokens SET last_used_at = now()
      WHERE token_sha256 = $1 AND revoked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM makers m JOIN users u ON u.email = m.created_by WHERE u.disabled)
     RETURNING name, role`,
    [digest(token)],
  );
  return row ? { name: row.name, role: row.role } : null;
}

const tokenCountRow = z.object({ n: z.int() });

/** How many service tokens exist, revoked ones included (a fresh database has none). */
export async function countServiceTokens(db: Pick<Database, "pool">): Promise<number> {
  const [row] = await queryRows(db.pool, tokenCountRow, "SELECT count(*)::int AS n FROM service_tokens");
  return row?.n ?? 0;
}
