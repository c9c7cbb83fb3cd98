// A process that runs one bulk relabel of every sample, so a test can SIGKILL it in the middle of the
// transaction. It joins the test's database through DATABASE_URL or FINEMED_HOME like the CLI does.
import { connectDatabase } from "../../lib/db/database";
import { bulkRelabel } from "../../lib/labels";

const db = await connectDatabase({ migrate: false });
process.stdout.write("relabeling\n");
const result = await bulkRelabel(
  db,
  { filter: {} },
  { primary: "Other Departments", secondary: "Rehabilitation Medicine" },
  "fault test",
  "fault-test",
);
process.stdout.write(`relabeled ${result.count}\n`);
await db.close();
