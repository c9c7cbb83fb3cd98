import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { z } from "zod";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { recordAuditEvent } from "../audit";
import { ROLES, type Role } from "./roles";
import { database, type Database } from "../db/database";
import { inTransaction } from "../db/transaction";
import { queryRows } from "../db/checked-rows";
import { authSecret } from "./auth-secret";
import { signInRateLimit } from "./sign-in-rate-limit";
import { CLIENT_ADDRESS_HEADER } from "./client-address";
import { accountLockedFor, accountSignInLimit, clearSignInFailures, recordSignInFailure } from "./account-sign-in-limit";

function hostOrigins(request: Request | undefined): string[] {
  if (!request) return [];
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!host) return [new URL(request.url).origin];
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return [`${proto}://${host}`, new URL(request.url).origin];
}

function configuredOrigins(): string[] {
  return (process.env.FINEMED_TRUSTED_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
}

/** A better-auth user as the audit log names it: email and role. */
function auditActor(user: { email: string; role?: unknown }): { name: string; role: Role } | string {
  return (ROLES as readonly unknown[]).includes(user.role) ? { name: user.email, role: user.role as Role } : user.email;
}

/** Session lifetime: a working week; refreshed daily while used. */
const SESSION_SECONDS = 7 * 24 * 60 * 60;

function signInEmail(body: unknown): string | null {
  const email = (body as { email?: unknown } | null)?.email;
  return typeof email === "string" && email.trim() !== "" ? email : null;
}

function buildAuth(db: Database) {
  const limit = signInRateLimit();
  const accountLimit = accountSignInLimit();
  return betterAuth({
    // better-auth's Kysely adapter over the studio's own pg pool (works on PostgreSQL and the embedded PGlite server).
    database: db.pool,
    secret: authSecret(),
    baseURL: process.env.BETTER_AUTH_URL?.trim() || undefined,
    basePath: "/api/auth",
    // The studio is reached under whatever host it is served on (127.0.0.1, a LAN name, a proxy): the
    // origin a request's own Host names is trusted, as in withRole's CSRF check, plus FINEMED_TRUSTED_ORIGINS.
    trustedOrigins: (request) => [...hostOrigins(request), ...configuredOrigins()],
    logger: { level: "error" },
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 256 },
    user: {
      modelName: "users",
      fields: { emailVerified: "email_verified", createdAt: "created_at", updatedAt: "updated_at" },
      additionalFields: {
        role: { type: "string", required: false, input: false, defaultValue: "viewer" },
        disabled: { type: "boolean", required: false, input: false, defaultValue: false },
        mustChangePassword: { type: "boolean", required: false, input: false, defaultValue: false, fieldName: "must_change_password" },
      },
    },
    session: {
      modelName: "sessions",
      fields: {
        expiresAt: "expires_at",
        createdAt: "created_at",
        updatedAt: "updated_at",
        ipAddress: "ip_address",
        userAgent: "user_agent",
        userId: "user_id",
      },
      expiresIn: SESSION_SECONDS,
      updateAge: 24 * 60 * 60,
    },
    account: {
      modelName: "accounts",
      fields: {
        accountId: "account_id",
        providerId: "provider_id",
        userId: "user_id",
        accessToken: "access_token",
        refreshToken: "refresh_token",
        idToken: "id_token",
        accessTokenExpiresAt: "access_token_expires_at",
        refreshTokenExpiresAt: "refresh_token_expires_at",
        createdAt: "created_at",
        updatedAt: "updated_at",
      },
    },
    verification: { modelName: "verifications", fields: { expiresAt: "expires_at", createdAt: "created_at", updatedAt: "updated_at" } },
    rateLimit: {
      enabled: true,
      // In the database, so every web process shares the counters.
      storage: "database",
      modelName: "rate_limits",
      fields: { lastRequest: "last_request" },
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": limit, "/change-password": limit },
    },
    advanced: {
      database: { generateId: () => randomUUID() },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      cookiePrefix: "finemed",
      // Explicit, so the Origin check (CSRF) also runs under NODE_ENV=test, where better-auth would skip it.
      disableOriginCheck: false,
      // The address the studio's web front (cli/web-front.ts) proved from the connection, never a header
      // the client wrote; without it (a bare `next start`, a test) better-auth uses one shared bucket.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    hooks: {
      // The per-account limit: refused before the password is even checked.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === "/revoke-session") {
          // better-auth answers {status: true} for another user's token and revokes nothing: say so instead.
          const session = await getSessionFromCtx(ctx);
          const token = (ctx.body as { token?: unknown } | undefined)?.token;
          if (!session || typeof token !== "string") return;
          const target = await ctx.context.internalAdapter.findSession(token);
          if (target?.session.userId !== session.user.id) {
            throw new APIError("NOT_FOUND", {
              message:
                "none of your sessions has that token; you can end only your own " +
                "(an admin ends another user's with DELETE /api/users/:id/sessions)",
              code: "SESSION_NOT_YOURS",
            });
          }
          return;
        }
        if (ctx.path !== "/sign-in/email") return;
        const email = signInEmail(ctx.body);
        if (email === null) return;
        const wait = await accountLockedFor(db, email, accountLimit);
        if (wait !== null) {
          throw new APIError(
            "TOO_MANY_REQUESTS",
            { message: `too many failed sign-ins for this account; try again in ${Math.ceil(wait / 60)} min`, code: "ACCOUNT_LOCKED" },
            { "X-Retry-After": String(wait) },
          );
        }
      }),
      // A changed password ends the one-time first-admin password; sign-in and password changes are audited.
      after: createAuthMiddleware(async (ctx) => {
        const returned = ctx.context.returned;
        if (isAPIError(returned)) {
          const email = signInEmail(ctx.body);
          const wrongPassword = ctx.path === "/sign-in/email" && returned.statusCode === 401;
          if (wrongPassword && email !== null) await recordSignInFailure(db, email, accountLimit);
          return;
        }
        if (ctx.path === "/change-password") {
          const user = ctx.context.session?.user;
          if (!user) return;
          const kept = ctx.context.newSession?.session.id ?? ctx.context.session?.session.id ?? "";
          // The flag, the other sessions and the audit event change in one transaction.
          await inTransaction(db, async (client) => {
            await client.query("UPDATE users SET must_change_password = false WHERE id = $1", [user.id]);
            // A new password ends every other session, whatever revokeOtherSessions the client sent.
            await client.query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", [user.id, kept]);
            await recordAuditEvent(client, {
              actor: auditActor(user),
              action: "user.change-password",
              subject: { type: "user", id: user.email },
              via: "web",
            });
          });
        } else if (ctx.path === "/sign-in/email") {
          const user = ctx.context.newSession?.user;
          if (user) await clearSignInFailures(db, user.email);
          if (user)
            await recordAuditEvent(db, {
              actor: auditActor(user),
              action: "session.sign-in",
              subject: { type: "user", id: user.email },
              via: "web",
            });
        }
      }),
    },
    databaseHooks: {
      session: {
        create: {
          // A disabled account gets no session, whatever its password.
          // Read through better-auth's adapter: inside its transaction (change-password) a query on
          // another pooled connection would wait for that transaction on the embedded database.
          async before(session, context) {
            const disabled = context
              ? ((await context.context.internalAdapter.findUserById(session.userId)) as { disabled?: boolean } | null)?.disabled
              : (
                  await queryRows(db.pool, z.object({ disabled: z.boolean() }), "SELECT disabled FROM users WHERE id = $1", [
                    session.userId,
                  ])
                )[0]?.disabled;
            if (disabled !== false) throw new APIError("FORBIDDEN", { message: "this account is disabled" });
          },
        },
      },
    },
  });
}

export type StudioAuth = ReturnType<typeof buildAuth>;

const instances = new WeakMap<Database, StudioAuth>();

/** The better-auth instance for a database (one per database handle). */
export function authFor(db: Database): StudioAuth {
  let auth = instances.get(db);
  if (!auth) {
    auth = buildAuth(db);
    instances.set(db, auth);
  }
  return auth;
}

/** The process-wide instance, on the process-wide database. */
export async function studioAuth(): Promise<StudioAuth> {
  return authFor(await database());
}
