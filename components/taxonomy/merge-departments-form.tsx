"use client";

import { useState, type FormEvent } from "react";
import type { MergeResult } from "@/lib/labels/merge-departments";
import type { Department, Taxonomy } from "@/lib/taxonomy/taxonomy";
import { ActionMessage } from "@/components/taxonomy/action-message";
import { useTaxonomyAction } from "@/components/taxonomy/use-taxonomy-action";

function optionName(department: Department, taxonomy: Taxonomy): string {
  if (department.level === "primary") return department.name;
  const parent = taxonomy.departments.find((d) => d.id === department.parentId);
  return `${department.name} (${parent?.name ?? "?"})`;
}

/** Merge A into B: labels using A move to B as one audited bulk operation, and A is retired. Asks first. */
export function MergeDepartmentsForm({ taxonomy }: { taxonomy: Taxonomy }) {
  const { busy, message, run } = useTaxonomyAction();
  const [level, setLevel] = useState<"primary" | "secondary">("secondary");
  const active = taxonomy.departments.filter((d) => d.level === level && d.retiredAt === null);
  const [fromId, setFromId] = useState(0);
  const [intoId, setIntoId] = useState(0);
  const [reason, setReason] = useState("");
  const from = active.find((d) => d.id === fromId);
  const into = active.find((d) => d.id === intoId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!from || !into) return;
    if (
      !window.confirm(
        `Merge ${from.name} into ${into.name}? Every label using ${from.name} moves to ${into.name} (audited), and ${from.name} is retired.`,
      )
    )
      return;
    await run<MergeResult>(
      "/api/taxonomy/merge",
      "POST",
      { fromId: from.id, intoId: into.id, reason },
      (result) => `merged; ${result.relabelled} labels moved`,
    );
  }

  return (
    <form className="panel stack" aria-label="Merge departments" onSubmit={submit}>
      <label>
        Level
        <select
          value={level}
          onChange={(event) => {
            setLevel(event.target.value === "primary" ? "primary" : "secondary");
            setFromId(0);
            setIntoId(0);
          }}
        >
          <option value="primary">primary</option>
          <option value="secondary">secondary</option>
        </select>
      </label>
      <label>
        Merge department
        <select value={fromId} onChange={(event) => setFromId(Number(event.target.value))}>
          <option value={0}>choose…</option>
          {active.map((d) => (
            <option key={d.id} value={d.id}>
              {optionName(d, taxonomy)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Into department
        <select value={intoId} onChange={(event) => setIntoId(Number(event.target.value))}>
          <option value={0}>choose…</option>
          {active
            .filter((d) => d.id !== fromId)
            .map((d) => (
              <option key={d.id} value={d.id}>
                {optionName(d, taxonomy)}
              </option>
            ))}
        </select>
      </label>
      <label className="wide">
        Merge reason
        <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={2000} />
      </label>
      <div className="wide row-actions">
        <button type="submit" disabled={busy || !from || !into}>
          Merge departments
        </button>
        <ActionMessage message={message} />
      </div>
    </form>
  );
}
