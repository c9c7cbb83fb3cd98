import { database } from "@/lib/db/database";
import { finemedHome } from "@/lib/db/settings";
import { databaseStatus } from "@/lib/db/status";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const db = await database();
  const status = await databaseStatus(db);
  return (
    <>
      <h1>Settings</h1>
      <p className="lead">Where the studio keeps its data. Backends per model role, users and the department taxonomy will be configured here too.</p>
      <div className="panel">
        <dl className="facts">
          <dt>Database</dt>
          <dd data-testid="database-mode">{status.embedded ? `embedded PGlite in ${finemedHome()}` : "PostgreSQL server from DATABASE_URL"}</dd>
          <dt>Server version</dt>
          <dd>{status.serverVersion}</dd>
          <dt>Migrations applied</dt>
          <dd>
            {status.migrations.map((migration) => (
              <div key={migration.name}>{migration.name}</div>
            ))}
          </dd>
        </dl>
      </div>
    </>
  );
}
