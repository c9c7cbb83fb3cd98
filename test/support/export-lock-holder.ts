// A process that takes one dataset version's export lock, as an exporter does, and holds it until it
// reads a line on stdin (then lets go) or is killed. It joins the test's database through DATABASE_URL
// or FINEMED_HOME like the CLI does.
import { connectDatabase } from "../../lib/db/database";
import { acquireExportLock } from "../../lib/export/export-lock";

const versionId = process.argv[2] ?? "";
const db = await connectDatabase({ migrate: false, poolSize: 2 });
const lock = await acquireExportLock(db, versionId, { onWait: () => process.stdout.write("waiting\n") });
process.stdout.write("locked\n");
process.stdin.once("data", () => {
  void (async () => {
    await lock.release();
    await db.close();
    process.stdout.write("released\n");
  })();
});
