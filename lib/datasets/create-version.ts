import type { Database } from "../db/database";
import { filterContext } from "../samples/sample-filter-context";
import { currentTaxonomy } from "../taxonomy/taxonomy";
import { DatasetError } from "./dataset-errors";
import { datasetSelectionSchema, type DatasetSelectionInput } from "./dataset-selection";
import { freezeMembers, frozenContentHash } from "./freeze-members";
import { inTransaction } from "../db/transaction";
import { countFrozenMembers } from "./version-counts";
import { z } from "zod";
import { queryRows } from "../db/checked-rows";
import { toVersionView, VERSION_COLUMNS, versionRow, type DatasetVersionView, type FrozenDepartment } from "./version-view";

export interface CreateVersionInput {
  name: string;
  selection: DatasetSelectionInput;
  actor: string;
}

/**
 * Freezes a selection into a new draft version: members with their labels in force, the content hash,
 * the counts and the taxonomy's names, all in one transaction. The members can never change afterwards
 * (a trigger refuses any later insert, update or delete), so a relabel after this leaves it as it is.
 */
export async function createVersion(db: Database, input: CreateVersionInput): Promise<DatasetVersionView> {
  const name = input.name.trim();
  if (name === "") throw new DatasetError("a dataset version needs a name");
  const parsed = datasetSelectionSchema.safeParse(input.selection);
  if (!parsed.success)
    throw new DatasetError(
      `invalid selection: ${parsed.error.issues.map((i) => `${i.path.join(".") || "selection"}: ${i.message}`).join("; ")}`,
    );
  const selection = parsed.data;
  // Resolved before the transaction: the embedded database serves one connection while another holds
  // a transaction open, so a pool query from inside it would wait forever.
  const context = await filterContext(db, { ...selection.filters, runIds: selection.runIds, status: ["kept"] });
  return inTransaction(db, async (client) => {
    const known = await queryRows(client, z.object({ id: z.string() }), "SELECT id FROM runs WHERE id = ANY($1::uuid[])", [
      selection.runIds,
    ]);
    const missing = selection.runIds.filter((id) => !known.some((row) => row.id === id));
    if (missing.length > 0) throw new DatasetError(`no run ${missing.join(", ")}`);

    await freezeMembers(client, context.where, context.params);
    const departments: FrozenDepartment[] = (await currentTaxonomy(client)).departments.map((d) => ({
      id: d.id,
      level: d.level,
      name: d.name,
      aliases: d.aliases,
      parentId: d.parentId,
    }));
    const counts = await countFrozenMembers(client, departments);
    if (counts.members === 0)
      throw new DatasetError("the selection matches no kept sample with a chosen response (are the runs' samples refreshed?)");
    const contentHash = await frozenContentHash(client, "frozen_members");

    const [version] = await queryRows(
      client,
      versionRow,
      `INSERT INTO dataset_versions (name, selection, content_hash, member_count, counts, departments, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${VERSION_COLUMNS}`,
      [name, JSON.stringify(selection), contentHash, counts.members, JSON.stringify(counts), JSON.stringify(departments), input.actor],
    );
    if (!version) throw new Error("INSERT … RETURNING gave no dataset version row");
    await client.query(
      `INSERT INTO dataset_members (version_id, instruction_id, chosen_response_id, rejected_response_id, tier, primary_id, secondary_id)
       SELECT $1, instruction_id, chosen_response_id, rejected_response_id, tier, primary_id, secondary_id FROM frozen_members`,
      [version.id],
    );
    await client.query(`INSERT INTO dataset_version_events (version_id, from_state, to_state, actor) VALUES ($1, NULL, 'draft', $2)`, [
      version.id,
      input.actor,
    ]);
    return toVersionView(version);
  });
}
