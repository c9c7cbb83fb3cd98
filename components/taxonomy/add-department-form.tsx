"use client";

import { useState, type FormEvent } from "react";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { ActionMessage } from "@/components/taxonomy/action-message";
import { useTaxonomyAction } from "@/components/taxonomy/use-taxonomy-action";

export function AddDepartmentForm({ taxonomy }: { taxonomy: Taxonomy }) {
  const { busy, message, run } = useTaxonomyAction();
  const primaries = taxonomy.tree.filter((primary) => primary.retiredAt === null);
  const [level, setLevel] = useState<"primary" | "secondary">("secondary");
  const [name, setName] = useState("");
  const [parent, setParent] = useState(primaries[0]?.name ?? "");

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = level === "secondary" ? { level, name, parent } : { level, name };
    if (await run("/api/taxonomy/departments", "POST", body, () => `added ${name}`)) setName("");
  }

  return (
    <form className="panel stack" aria-label="Add department" onSubmit={submit}>
      <label>
        Level
        <select value={level} onChange={(event) => setLevel(event.target.value === "primary" ? "primary" : "secondary")}>
          <option value="primary">primary</option>
          <option value="secondary">secondary</option>
        </select>
      </label>
      <label>
        Name
        <input type="text" value={name} onChange={(event) => setName(event.target.value)} required maxLength={200} />
      </label>
      {level === "secondary" ? (
        <label>
          Under primary
          <select value={parent} onChange={(event) => setParent(event.target.value)}>
            {primaries.map((primary) => (
              <option key={primary.id} value={primary.name}>
                {primary.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="wide row-actions">
        <button type="submit" disabled={busy}>
          Add department
        </button>
        <ActionMessage message={message} />
      </div>
    </form>
  );
}
