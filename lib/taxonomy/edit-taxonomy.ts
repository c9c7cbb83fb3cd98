import { z } from "zod";
import type { Database } from "../db/database";
import { queryRows } from "../db/checked-rows";
import { inTransaction } from "../db/transaction";
import { TaxonomyViolation } from "./label-target";
import { currentTaxonomy, type Department, type DepartmentLevel } from "./taxonomy";
import { TaxonomyIndex } from "./taxonomy-index";
import { recordTaxonomyEdit } from "./taxonomy-audit";

// Taxonomy edits that move no label: add, rename and retire, each recorded in the audit trail. Merging,
// which moves labels, is in merge-departments.ts. Departments are never deleted, so every id a label
// or audit row holds keeps its meaning.

const RESERVED = new Set(["none", "n/a", "null"]);

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new TaxonomyViolation("a department needs a name");
  if (RESERVED.has(trimmed.toLowerCase())) throw new TaxonomyViolation(`"${trimmed}" means "no department" and cannot name one`);
  return trimmed;
}

async function departmentById(index: TaxonomyIndex, id: number): Promise<Department> {
  const department = index.get(id);
  if (!department) throw new TaxonomyViolation(`there is no department ${id}`);
  return department;
}

export async function addDepartment(
  db: Database,
  input: { level: DepartmentLevel; name: string; parent?: string },
  actor: string,
): Promise<Department> {
  const name = checkName(input.name);
  return inTransaction(db, async (client) => {
    const index = new TaxonomyIndex(await currentTaxonomy(client));
    if (index.find(input.level, name)) throw new TaxonomyViolation(`a ${input.level} department "${name}" already exists`);
    let parentId: number | null = null;
    if (input.level === "secondary") {
      const parent = input.parent === undefined ? undefined : index.find("primary", input.parent);
      if (!parent) throw new TaxonomyViolation(`a secondary department needs an existing primary (got "${input.parent ?? ""}")`);
      if (parent.retiredAt !== null) throw new TaxonomyViolation(`"${parent.name}" is retired`);
      parentId = parent.id;
    } else if (input.parent !== undefined) {
      throw new TaxonomyViolation("a primary department has no parent");
    }
    const [inserted] = await queryRows(
      client,
      z.object({ id: z.number().int() }),
      `INSERT INTO departments (level, name, parent_id, sort_order)
       VALUES ($1::department_level, $2, $3, (SELECT coalesce(max(sort_order), 0) + 1 FROM departments WHERE level = $1::department_level))
       RETURNING id`,
      [input.level, name, parentId],
    );
    const added = await departmentById(new TaxonomyIndex(await currentTaxonomy(client)), inserted!.id);
    await recordTaxonomyEdit(client, "taxonomy-add", added, { name, parent: input.parent ?? null }, actor);
    return added;
  });
}

/** Renames a department; the old name stays as an alias so the classifier's answers still map to it. */
export async function renameDepartment(db: Database, id: number, newName: string, actor: string): Promise<Department> {
  const name = checkName(newName);
  return inTransaction(db, async (client) => {
    const index = new TaxonomyIndex(await currentTaxonomy(client));
    const department = await departmentById(index, id);
    if (department.name === name) return department;
    const clash = index.find(department.level, name);
    if (clash) throw new TaxonomyViolation(`a ${department.level} department "${name}" already exists`);
    await client.query(
      `UPDATE departments SET name = $2, aliases = array_append(array_remove(coalesce(aliases, ARRAY[]::text[]), $2), name), updated_at = now() WHERE id = $1`,
      [id, name],
    );
    const renamed = await departmentById(new TaxonomyIndex(await currentTaxonomy(client)), id);
    await recordTaxonomyEdit(client, "taxonomy-rename", renamed, { from: department.name, to: name }, actor);
    return renamed;
  });
}

/** Retires a department: existing labels keep it (and the review queue flags them); no new label may use it. */
export async function retireDepartment(db: Database, id: number, actor: string): Promise<Department> {
  return inTransaction(db, async (client) => {
    const department = await departmentById(new TaxonomyIndex(await currentTaxonomy(client)), id);
    if (department.retiredAt !== null) return department;
    await client.query(`UPDATE departments SET retired_at = now(), updated_at = now() WHERE id = $1`, [id]);
    const retired = await departmentById(new TaxonomyIndex(await currentTaxonomy(client)), id);
    await recordTaxonomyEdit(client, "taxonomy-retire", retired, {}, actor);
    return retired;
  });
}
