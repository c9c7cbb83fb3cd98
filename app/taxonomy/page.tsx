import Link from "next/link";
import { database } from "@/lib/db/database";
import { departmentDistribution } from "@/lib/samples";
import { currentTaxonomy } from "@/lib/taxonomy";
import { AddDepartmentForm } from "@/components/taxonomy/add-department-form";
import { DepartmentRow, type DepartmentCounts } from "@/components/taxonomy/department-row";
import { MergeDepartmentsForm } from "@/components/taxonomy/merge-departments-form";
import { RoleGate } from "@/components/role-context";

export const dynamic = "force-dynamic";

export default async function TaxonomyPage() {
  const db = await database();
  // Counts over every sample (not only kept ones), so a department's full footprint shows before a merge or retirement.
  const [taxonomy, primaries, secondaries] = await Promise.all([
    currentTaxonomy(db),
    departmentDistribution(db, "primary", {}),
    departmentDistribution(db, "secondary", {}),
  ]);
  const counts = new Map<string, DepartmentCounts>();
  for (const d of primaries.departments)
    if (d.department !== null) counts.set(`primary:${d.department}`, { model: d.model, curated: d.curated });
  for (const d of secondaries.departments)
    if (d.department !== null) counts.set(`secondary:${d.department}`, { model: d.model, curated: d.curated });
  const nameOf = (id: number | null) => (id === null ? null : (taxonomy.departments.find((d) => d.id === id)?.name ?? null));
  return (
    <>
      <p className="muted">
        <Link href="/samples">Samples</Link> / Taxonomy
      </p>
      <h1>Department taxonomy</h1>
      <p className="lead">
        The paper&apos;s 6 primary and 29 secondary departments, as curated here. Renaming keeps the old name as an alias for the
        classifier; merging moves every label to the other department as one audited operation; retiring keeps existing labels but allows no
        new ones. Departments are never deleted.
      </p>
      <table className="grid" aria-label="Departments">
        <thead>
          <tr>
            <th>Department</th>
            <th className="num">Model labels</th>
            <th className="num">In force</th>
            <th>State</th>
            <th>Edit</th>
          </tr>
        </thead>
        <tbody>
          {taxonomy.tree.flatMap((primary) => [
            <DepartmentRow
              key={primary.id}
              department={primary}
              counts={counts.get(`primary:${primary.name}`)}
              mergedInto={nameOf(primary.mergedIntoId)}
            />,
            ...primary.secondaries.map((secondary) => (
              <DepartmentRow
                key={secondary.id}
                department={secondary}
                counts={counts.get(`secondary:${secondary.name}`)}
                mergedInto={nameOf(secondary.mergedIntoId)}
              />
            )),
          ])}
        </tbody>
      </table>
      <h2>Add a department</h2>
      <RoleGate needs="admin" what="Adding a department">
        <AddDepartmentForm taxonomy={taxonomy} />
      </RoleGate>
      <h2>Merge departments</h2>
      <RoleGate needs="admin" what="Merging departments">
        <MergeDepartmentsForm taxonomy={taxonomy} />
      </RoleGate>
      <p className="muted small">
        Merges appear in <Link href="/samples/operations">Bulk operations</Link>; a merge is not undone label by label (the taxonomy change
        would stay).
      </p>
    </>
  );
}
