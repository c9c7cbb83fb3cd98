"use client";

import { useState, type FormEvent } from "react";
import type { MemberLabel, VersionDiff, VersionDiffEntry } from "@/lib/datasets";
import { sendJson } from "@/components/samples/send-json";
import { ProblemAlert } from "@/components/problem-alert";
import { formText } from "@/components/form-text";

export interface VersionChoice {
  id: string;
  name: string;
  state: string;
}

const label = (l: MemberLabel | null) => (l ? `${l.primary ?? "unlabelled"} / ${l.secondary ?? "None"}` : "—");

function Examples({ title, entries }: { title: string; entries: VersionDiffEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <table className="grid compact" aria-label={title}>
      <thead>
        <tr>
          <th>{title}: instruction</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.instructionId}>
            <td>{entry.instructionId}</td>
            <td>{label(entry.before)}</td>
            <td>{label(entry.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What changed from another version to this one: counts, then the first examples of each kind. */
export function VersionDiffPanel({ versionId, others }: { versionId: string; others: VersionChoice[] }) {
  const [diff, setDiff] = useState<VersionDiff | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function compare(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const against = formText(new FormData(event.currentTarget), "against");
    setProblem(null);
    const answer = await sendJson<VersionDiff>(`/api/datasets/${versionId}/diff?against=${encodeURIComponent(against)}&limit=20`, "GET");
    if (answer.ok) setDiff(answer.value);
    else setProblem(answer.error);
  }

  if (others.length === 0) return <p className="muted">No other version to compare with.</p>;
  return (
    <>
      <form className="review-actions" aria-label="Diff" onSubmit={compare}>
        <label>
          Compare with
          <select name="against">
            {others.map((other) => (
              <option key={other.id} value={other.id}>
                {other.name} ({other.state.replace("_", " ")})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary">
          Show diff
        </button>
        <ProblemAlert problem={problem} />
      </form>
      {diff ? (
        <div data-testid="version-diff">
          <p>
            From <strong>{diff.from.name}</strong> to <strong>{diff.to.name}</strong>: added {diff.counts.added}, removed{" "}
            {diff.counts.removed}, relabeled {diff.counts.relabeled}, responses changed {diff.counts.responseChanged}, unchanged{" "}
            {diff.counts.unchanged}.
          </p>
          <Examples title="Added" entries={diff.added} />
          <Examples title="Removed" entries={diff.removed} />
          <Examples title="Relabeled" entries={diff.relabeled} />
        </div>
      ) : null}
    </>
  );
}
