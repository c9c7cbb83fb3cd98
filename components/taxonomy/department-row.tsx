"use client";

import { useState, type FormEvent } from "react";
import type { Department } from "@/lib/taxonomy/taxonomy";
import { ActionMessage } from "@/components/taxonomy/action-message";
import { useTaxonomyAction } from "@/components/taxonomy/use-taxonomy-action";
import { RoleReason, useRoleRefusal } from "@/components/role-context";

export interface DepartmentCounts {
  model: number;
  curated: number;
}

/** One department with its sample counts, rename and retire. */
export function DepartmentRow({
  department,
  counts,
  mergedInto,
}: {
  department: Department;
  counts: DepartmentCounts | undefined;
  mergedInto: string | null;
}) {
  const { busy, message, run } = useTaxonomyAction();
  const [name, setName] = useState(department.name);
  const retired = department.retiredAt !== null;
  const refusal = useRoleRefusal("admin", "Renaming or retiring a department");

  async function rename(event: FormEvent) {
    event.preventDefault();
    await run(`/api/taxonomy/departments/${department.id}`, "PATCH", { name }, () => `renamed to ${name}`);
  }

  async function retire() {
    if (!window.confirm(`Retire ${department.name}? Existing labels keep it (and enter the review queue); no new label may use it.`))
      return;
    await run(`/api/taxonomy/departments/${department.id}/retire`, "POST", {}, () => "retired");
  }

  return (
    <tr>
      <td className={retired ? "retired" : undefined}>
        {department.level === "secondary" ? "↳ " : ""}
        {department.name}
        {department.aliases.length > 0 ? <span className="muted small"> (also {department.aliases.join(", ")})</span> : null}
      </td>
      <td className="num">{counts?.model ?? 0}</td>
      <td className="num">{counts?.curated ?? 0}</td>
      <td>{retired ? <span className="muted">retired{mergedInto ? `, merged into ${mergedInto}` : ""}</span> : "active"}</td>
      <td>
        {retired ? null : (
          <form className="inline-form" onSubmit={rename} aria-label={`Rename ${department.name}`}>
            <input
              type="text"
              aria-label={`New name for ${department.name}`}
              value={name}
              onChange={(event) => setName(event.target.value)}
              required
            />
            <button type="submit" className="secondary small-button" disabled={busy || refusal !== null || name.trim() === department.name}>
              Rename
            </button>
            <button type="button" className="secondary small-button" disabled={busy || refusal !== null} onClick={retire}>
              Retire
            </button>
            <RoleReason refusal={refusal} />
          </form>
        )}
        <ActionMessage message={message} />
      </td>
    </tr>
  );
}
