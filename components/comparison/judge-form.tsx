"use client";

import { useState, type FormEvent } from "react";
import { RoleReason, useRoleRefusal } from "@/components/role-context";
import { formText } from "@/components/form-text";

export interface RunChoice {
  runId: string;
  name: string;
}

/** Starts judging a dataset's seeded sample with a backend, or with the judge role of an existing run. */
export function JudgeForm({ datasetId, runs, onStarted }: { datasetId: string; runs: RunChoice[]; onStarted: () => void }) {
  const [source, setSource] = useState<"backend" | "run">("backend");
  const [message, setMessage] = useState<string | null>(null);
  const refusal = useRoleRefusal("curator", "Judging a comparison dataset");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const judge =
      source === "run" ? { runId: formText(form, "runId") } : { baseUrl: formText(form, "baseUrl"), model: formText(form, "model") };
    const response = await fetch(`/api/comparisons/${datasetId}/judgings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sampleSize: Number(form.get("sampleSize")), seed: formText(form, "seed"), judge }),
    });
    const body = (await response.json()) as { sampleSize?: number; error?: string };
    setMessage(response.ok ? `Judging ${body.sampleSize ?? 0} sampled instructions.` : `Could not start: ${body.error ?? response.status}`);
    if (response.ok) onStarted();
  }

  return (
    <form onSubmit={submit} aria-label="Judge this dataset" className="judge-form">
      <label>
        N <input name="sampleSize" type="number" min={1} defaultValue={5000} style={{ width: 90 }} />
      </label>{" "}
      <label>
        Seed <input name="seed" defaultValue="finemed-comparison" style={{ width: 140 }} />
      </label>{" "}
      <label>
        Judge{" "}
        <select value={source} onChange={(event) => setSource(event.target.value === "run" ? "run" : "backend")} aria-label="Judge source">
          <option value="backend">backend</option>
          <option value="run" disabled={runs.length === 0}>
            a run&apos;s judge
          </option>
        </select>
      </label>{" "}
      {source === "run" ? (
        <select name="runId" aria-label="Run">
          {runs.map((run) => (
            <option key={run.runId} value={run.runId}>
              {run.name}
            </option>
          ))}
        </select>
      ) : (
        <>
          <input name="baseUrl" type="url" placeholder="http://vllm:8000" aria-label="Judge base URL" required />{" "}
          <input name="model" placeholder="model" aria-label="Judge model" required />
        </>
      )}{" "}
      <button type="submit" disabled={refusal !== null}>
        Judge
      </button>{" "}
      <RoleReason refusal={refusal} />
      {message ? <span role="status"> {message}</span> : null}
    </form>
  );
}
