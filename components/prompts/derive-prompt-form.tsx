"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ProblemAlert } from "@/components/problem-alert";
import { RoleReason, useRoleRefusal } from "@/components/role-context";

export interface PromptVersionText {
  key: string;
  version: number;
  template: string;
}

type Phase = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; key: string; version: number } | { kind: "failed"; reason: string };

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function variablesOf(template: string): string[] {
  return [...new Set([...template.matchAll(VARIABLE)].map((match) => match[1] ?? ""))];
}

/** Derives a new version from a chosen one; old versions are never edited, so past runs stay exact. */
export function DerivePromptForm({ keys, prompts }: { keys: string[]; prompts: PromptVersionText[] }) {
  const router = useRouter();
  const refusal = useRoleRefusal("curator", "Saving a prompt version");
  const newestOf = (key: string) => Math.max(...prompts.filter((prompt) => prompt.key === key).map((prompt) => prompt.version));
  const [key, setKey] = useState(keys[0] ?? "");
  const [fromVersion, setFromVersion] = useState(() => newestOf(keys[0] ?? ""));
  const templateOf = (k: string, v: number) => prompts.find((prompt) => prompt.key === k && prompt.version === v)?.template ?? "";
  const [template, setTemplate] = useState(() => templateOf(key, fromVersion));
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const base = templateOf(key, fromVersion);

  function choose(nextKey: string, nextVersion: number) {
    setKey(nextKey);
    setFromVersion(nextVersion);
    setTemplate(templateOf(nextKey, nextVersion));
    setPhase({ kind: "idle" });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const missing = variablesOf(base).filter((name) => !template.includes(`{{${name}}}`));
    if (missing.length > 0) {
      setPhase({ kind: "failed", reason: `the new template lacks ${missing.map((name) => `{{${name}}}`).join(", ")}` });
      return;
    }
    setPhase({ kind: "saving" });
    try {
      const response = await fetch("/api/prompts", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key, fromVersion, template }),
      });
      const body = (await response.json()) as { key?: string; version?: number; error?: string };
      if (!response.ok || body.version === undefined) {
        setPhase({ kind: "failed", reason: body.error ?? `the server answered ${response.status}` });
        return;
      }
      setPhase({ kind: "saved", key, version: body.version });
      router.refresh();
    } catch {
      setPhase({ kind: "failed", reason: "the studio did not answer" });
    }
  }

  const versions = prompts.filter((prompt) => prompt.key === key).map((prompt) => prompt.version);
  return (
    <form className="stack" onSubmit={submit} aria-label="Derive a prompt version">
      <label>
        Prompt
        <select value={key} onChange={(event) => choose(event.target.value, newestOf(event.target.value))}>
          {keys.map((candidate) => (
            <option key={candidate} value={candidate}>
              {candidate}
            </option>
          ))}
        </select>
      </label>
      <label>
        From version
        <select value={fromVersion} onChange={(event) => choose(key, Number(event.target.value))}>
          {versions.map((version) => (
            <option key={version} value={version}>
              v{version}
            </option>
          ))}
        </select>
      </label>
      <div className="muted" style={{ fontSize: 13 }}>
        Keep every variable:{" "}
        {variablesOf(base)
          .map((name) => `{{${name}}}`)
          .join(", ") || "none"}
      </div>
      <label className="wide">
        Template
        <textarea
          value={template}
          onChange={(event) => setTemplate(event.target.value)}
          rows={18}
          spellCheck={false}
          style={{
            font: "12px ui-monospace, SFMono-Regular, Menlo, monospace",
            padding: "8px 10px",
            border: "1px solid #c5ccd4",
            borderRadius: 6,
            width: "100%",
          }}
        />
      </label>
      <div className="wide" style={{ display: "flex", gap: 12, alignItems: "center" }}>
        <button type="submit" disabled={refusal !== null || phase.kind === "saving" || template === base || template.trim() === ""}>
          Save new version
        </button>
        <RoleReason refusal={refusal} />
        {template === base ? <span className="muted">Edit the text to save it as a new version.</span> : null}
        {phase.kind === "saved" ? (
          <span className="status-ok" role="status">
            Saved {phase.key} v{phase.version}.
          </span>
        ) : null}
        <ProblemAlert problem={phase.kind === "failed" ? phase.reason : null} />
      </div>
    </form>
  );
}
