import type pg from "pg";
import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows, type Queryable } from "../db/checked-rows";
import { ApprovalRefused, DatasetVersionNotFound } from "./dataset-errors";
import { VERSION_STATES } from "./version-view";

// Four eyes: whoever created or submitted a version does not approve it while someone else could.
// A studio with a single approver (one person running it alone) may, and is told it is its own work.

export interface OwnWorkCheck {
  /** The actor created or submitted the version. */
  ownWork: boolean;
  /** Active users and service tokens other than the actor that may approve (approver or admin). */
  otherApprovers: number;
}

const authorshipRow = z.object({ created_by: z.string(), submitted_by: z.string().nullable(), state: z.enum(VERSION_STATES) });
const approverCountRow = z.object({ n: z.number().int() });

async function check(runner: Queryable, versionId: string, actor: string, lock: boolean): Promise<OwnWorkCheck> {
  const [row] = await queryRows(
    runner,
    authorshipRow,
    `SELECT created_by, submitted_by, state::text AS state FROM dataset_versions WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
    [versionId],
  );
  if (!row) throw new DatasetVersionNotFound(versionId);
  // Only a version in review can be approved; for any other the state is the reason to give.
  const ownWork = row.state === "in_review" && (row.created_by === actor || row.submitted_by === actor);
  if (!ownWork) return { ownWork, otherApprovers: 0 };
  const [others] = await queryRows(
    runner,
    approverCountRow,
    `SELECT ((SELECT count(*) FROM users WHERE role IN ('approver', 'admin') AND NOT disabled AND email <> $1)
           + (SELECT count(*) FROM service_tokens WHERE role IN ('approver', 'admin') AND revoked_at IS NULL AND name <> $1))::int AS n`,
    [actor],
  );
  return { ownWork, otherApprovers: others!.n };
}

/** Whether approving would be the actor's own work, and whether anyone else could approve instead. */
export function ownWorkApproval(db: Database, versionId: string, actor: string): Promise<OwnWorkCheck> {
  return check(db.pool, versionId, actor, false);
}

/** Inside the approval's transaction (the version row locked): refuses self-approval while another approver exists. */
export async function requireSecondPairOfEyes(client: pg.PoolClient, versionId: string, actor: string): Promise<void> {
  const found = await check(client, versionId, actor, true);
  if (found.ownWork && found.otherApprovers > 0) {
    const others = found.otherApprovers === 1 ? "another approver" : `${found.otherApprovers} other approvers`;
    throw new ApprovalRefused(
      `${actor} created or submitted this version, so ${others} must approve it (four eyes); ask them to review it`,
    );
  }
}
