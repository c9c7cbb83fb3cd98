import type pg from "pg";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import type { Database } from "../db/database";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { TaxonomyIndex } from "../taxonomy/taxonomy-index";
import { resolveLabelTarget, type LabelTarget } from "../taxonomy/label-target";
import { LabelChangeRefused, LabelConflictError } from "./label-errors";
import { inTransaction } from "../db/transaction";
import { lastChange } from "./last-change";

export interface RelabelInput {
  instructionId: number;
  to: LabelTarget;
  /** The label version the curator saw (SampleRow.labelVersion); the change fails if it has moved. */
  expectedVersion: number;
  reason: string;
  actor: string;
}

export interface RelabelResult {
  /** False when the curated label already was `to`: nothing was written. */
  changed: boolean;
  version: number;
  changeId: number | null;
}

const curatedLabelRow = z.object({
  label_version: z.int(),
  curated_primary_id: z.int().nullable(),
  curated_secondary_id: z.int().nullable(),
});
const insertedChangeRow = z.object({ id: z.int() });

/**
 * Overrides one sample's department with optimistic concurrency: the row is locked, its version
 * compared with the one the curator saw, and on a mismatch a LabelConflictError names who changed
 * it and when. The model's label is never written; the override sits beside it.
 */
export async function relabel(db: Database, input: RelabelInput): Promise<RelabelResult> {
  return inTransaction(db, (client) => relabelInTransaction(client, input));
}

/** relabel() inside the caller's transaction, so another write (an audit event) commits with it. */
export async function relabelInTransaction(client: pg.PoolClient, input: RelabelInput): Promise<RelabelResult> {
  const [sample] = await queryRows(
    client,
    curatedLabelRow,
    `SELECT label_version, curated_primary_id, curated_secondary_id FROM samples WHERE instruction_id = $1 FOR UPDATE`,
    [input.instructionId],
  );
  if (!sample) throw new LabelChangeRefused(`there is no sample ${input.instructionId}`);
  if (sample.label_version !== input.expectedVersion) {
    const last = await lastChange(client, input.instructionId);
    throw new LabelConflictError(input.instructionId, input.expectedVersion, sample.label_version, last?.actor ?? null, last?.at ?? null);
  }
  const target = resolveLabelTarget(new TaxonomyIndex(await currentTaxonomy(client)), input.to);
  if (sample.curated_primary_id === target.primaryId && sample.curated_secondary_id === target.secondaryId) {
    return { changed: false, version: sample.label_version, changeId: null };
  }
  const version = sample.label_version + 1;
  await client.query(
    `UPDATE samples SET curated_primary_id = $2, curated_secondary_id = $3, primary_id = $2, secondary_id = $3,
            label_version = $4, updated_at = now()
      WHERE instruction_id = $1`,
    [input.instructionId, target.primaryId, target.secondaryId, version],
  );
  const [change] = await queryRows(
    client,
    insertedChangeRow,
    `INSERT INTO label_changes (instruction_id, version, from_primary_id, from_secondary_id, to_primary_id, to_secondary_id, kind, actor, reason)
     VALUES ($1, $2, $3, $4, $5, $6, 'relabel', $7, $8) RETURNING id`,
    [
      input.instructionId,
      version,
      sample.curated_primary_id,
      sample.curated_secondary_id,
      target.primaryId,
      target.secondaryId,
      input.actor,
      input.reason,
    ],
  );
  return { changed: true, version, changeId: change!.id };
}
