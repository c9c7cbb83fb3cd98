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

const roleSchema = z.enum(ROLES);

// The writes read their RETURNING row with the same camelCase names as Prisma's model, so one view fits both.
const tokenRow = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  tokenPrefix: z.string(),
  createdBy: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

const COLUMNS = `id, name, role, token_prefix AS "tokenPrefix", created_by AS "createdBy", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;
// The same fields for Prisma's reads (never token_sha256).
const TOKEN_FIELDS = {
  id: true,
  name: true,
  role: true,
  tokenPrefix: true,
  createdBy: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies { [field in keyof z.output<typeof tokenRow>]: true };

/** A token as a RETURNING row or Prisma's model gives it; Prisma types `role` as any string, so it is checked here. */
interface TokenRecord {
  id: string;
  name: string;
  role: string;
  tokenPrefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

function toView(token: TokenRecord): ServiceTokenView {
  return {
    id: token.id,
    name: token.name,
    role: roleSchema.parse(token.role),
    prefix: token.tokenPrefix,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
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

/** Live tokens first, then revoked ones, each oldest first. */
export async function listServiceTokens(db: Pick<Database, "prisma">): Promise<ServiceTokenView[]> {
  // Prisma orders by columns, not by `revoked_at IS NOT NULL`: the split into live and revoked is made here.
  const tokens = await db.prisma.serviceToken.findMany({ select: TOKEN_FIELDS, orderBy: { createdAt: "asc" } });
  return [...tokens.filter((token) => token.revokedAt === null), ...tokens.filter((token) => token.revokedAt !== null)].map(toView);
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
 * user works again only when that user is enabled again. Stays SQL: one UPDATE … RETURNING with a
 * recursive CTE, which Prisma's query API has no form for.
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

/** How many service tokens exist, revoked ones included (a fresh database has none). */
export async function countServiceTokens(db: Pick<Database, "prisma">): Promise<number> {
  return db.prisma.serviceToken.count();
}
