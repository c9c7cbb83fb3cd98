import { database } from "@/lib/db/database";
import { finemedHome } from "@/lib/db/settings";
import { databaseStatus } from "@/lib/db/status";
import { requirePageActor } from "@/app/page-actor";
import { roleAllows } from "@/lib/auth/roles";
import { listUsers } from "@/lib/auth/users";
import { listServiceTokens } from "@/lib/auth/service-tokens";
import { UsersAdmin } from "./users-admin";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const actor = await requirePageActor();
  const db = await database();
  const status = await databaseStatus(db);
  const admin = roleAllows(actor.role, "admin");
  const [users, tokens] = admin ? await Promise.all([listUsers(db), listServiceTokens(db)]) : [[], []];
  return (
    <>
      <h1>Settings</h1>
      <p className="lead">
        Your account{admin ? ", who may sign in (users) and who may call the studio from scripts (service tokens)" : ""}, and where the
        studio keeps its data. Roles: viewer reads; curator imports, runs and relabels; approver approves dataset versions and starts
        training; admin manages users, backends and the taxonomy.
      </p>
      <h2>Your account</h2>
      <p>
        Signed in as <strong>{actor.name}</strong> ({actor.role}). <a href="/account">Change your password</a>.
      </p>
      {admin ? (
        <UsersAdmin users={users} tokens={tokens} self={actor.name} />
      ) : (
        <p className="muted">Users and service tokens are managed by an admin.</p>
      )}
      <h2>Storage</h2>
      <div className="panel">
        <dl className="facts">
          <dt>Database</dt>
          <dd data-testid="database-mode">
            {status.embedded ? `embedded PGlite in ${finemedHome()}` : "PostgreSQL server from DATABASE_URL"}
          </dd>
          <dt>Server version</dt>
          <dd>{status.serverVersion}</dd>
          <dt>Schema</dt>
          <dd>
            <details>
              <summary>{status.migrations.length} migrations applied</summary>
              {status.migrations.map((migration) => (
                <div key={migration.name} className="small">
                  {migration.name}
                </div>
              ))}
            </details>
          </dd>
        </dl>
      </div>
    </>
  );
}
