"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { DatasetSelectionInput, DatasetVersionView } from "@/lib/datasets";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";
import { formText } from "@/components/form-text";

export interface RunChoice {
  runId: string;
  name: string;
  status: string;
  kept: number;
}

const RANGES = [
  { key: "quality", label: "Quality (1-10)" },
  { key: "difficulty", label: "Difficulty (1-10)" },
  { key: "relevance", label: "Relevance (1-6)" },
  { key: "reward", label: "Reward" },
] as const;

type Filters = NonNullable<DatasetSelectionInput["filters"]>;

function numberField(form: FormData, name: string): number | undefined {
  const raw = formText(form, name).trim();
  return raw === "" ? undefined : Number(raw);
}

/** Reads the form into the lib's selection; the server validates it and answers with the reason. */
function selectionFrom(form: FormData): DatasetSelectionInput {
  const filters: Filters = { labelSource: "effective" };
  const tiers = form
    .getAll("tier")
    .map(String)
    .filter((t): t is "common" | "complex" => t === "common" || t === "complex");
  if (tiers.length > 0) filters.tier = tiers;
  for (const { key } of RANGES) {
    const min = numberField(form, `${key}-min`);
    const max = numberField(form, `${key}-max`);
    if (min !== undefined || max !== undefined) filters[key] = { min, max };
  }
  const text = formText(form, "text").trim();
  if (text !== "") filters.text = text;
  return { runIds: form.getAll("run").map(String), filters };
}

export function NewVersionForm({ runs, preselectedRunIds = [] }: { runs: RunChoice[]; preselectedRunIds?: string[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    const answer = await sendJson<DatasetVersionView>("/api/datasets", "POST", {
      name: formText(form, "name"),
      selection: selectionFrom(form),
    });
    setBusy(false);
    if (!answer.ok) setProblem(answer.error);
    else router.push(`/datasets/${answer.value.id}`);
  }

  return (
    <form className="filters dataset-form" aria-label="New version" onSubmit={create}>
      <label className="filters-search">
        Name
        <input type="text" name="name" required maxLength={200} placeholder="e.g. finemed-2026-11" />
      </label>
      <fieldset className="filters-search">
        <legend>Runs</legend>
        {runs.length === 0 ? <span className="muted">No run yet.</span> : null}
        {runs.map((run) => (
          <label key={run.runId} className="choice">
            <input type="checkbox" name="run" value={run.runId} defaultChecked={preselectedRunIds.includes(run.runId)} />
            {run.name}{" "}
            <span className="muted">
              ({run.status}, {run.kept} kept)
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Tier</legend>
        {(["common", "complex"] as const).map((tier) => (
          <label key={tier} className="choice">
            <input type="checkbox" name="tier" value={tier} />
            {tier}
          </label>
        ))}
      </fieldset>
      {RANGES.map((range) => (
        <fieldset key={range.key} className="range">
          <legend>{range.label}</legend>
          <label>
            min
            <input type="number" name={`${range.key}-min`} step="any" aria-label={`${range.label} min`} />
          </label>
          <label>
            max
            <input type="number" name={`${range.key}-max`} step="any" aria-label={`${range.label} max`} />
          </label>
        </fieldset>
      ))}
      <label className="filters-search">
        Text search (optional)
        <input type="text" name="text" maxLength={500} />
      </label>
      <div className="filters-actions">
        <button type="submit" disabled={busy}>
          {busy ? "Freezing…" : "Create draft"}
        </button>
        <span className="muted">Only kept samples with a chosen response become members; labels in force are frozen.</span>
        <ProblemAlert problem={problem} />
      </div>
    </form>
  );
}
