"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { PIPELINE_ROLES, runConfigSchema, type PipelineRole } from "@/lib/runs/run-config";
import { plainIssue, type FieldProblem } from "./run-config-messages";
import { PromptVersionFields, type PromptKeyVersions } from "./prompt-version-fields";
import { RoleBackendFields, type RoleFields } from "./role-backend-fields";
import { ProblemAlert } from "@/components/problem-alert";
import { RoleReason, useRoleRefusal } from "@/components/role-context";
import { formText } from "@/components/form-text";

export interface CorpusChoice {
  name: string;
  texts: number;
}

const ROLE_LABELS: Record<PipelineRole, string> = {
  generator: "Generator (instructions, common answers)",
  judge: "Judge (instruction scores)",
  reasoner: "Reasoner (long-form reasoning)",
  classifier: "Classifier (departments)",
  reward: "Reward model",
};

type Phase = { kind: "idle" } | { kind: "starting" } | { kind: "failed"; reason: string; problems: FieldProblem[] };

/** A refused field's message, beside the field itself. */
function FieldMessage({ phase, field }: { phase: Phase; field: string }) {
  const problem = phase.kind === "failed" ? phase.problems.find((candidate) => candidate.field === field) : undefined;
  if (!problem) return null;
  return (
    <span className="field-problem" role="alert" id={`${field}-problem`}>
      {problem.message}
    </span>
  );
}

function wholeNumber(label: string, text: string, optional = false): number | undefined | string {
  const trimmed = text.trim();
  if (trimmed === "" && optional) return undefined;
  if (!/^\d+$/.test(trimmed)) return `${label} must be a whole number`;
  return Number(trimmed);
}

/** The New-run form: validated here with the same schema the server applies, then POST /api/runs. */
export function NewRunForm({
  corpora,
  promptKeys,
  defaults,
  initialCorpus = null,
}: {
  corpora: CorpusChoice[];
  promptKeys: PromptKeyVersions[];
  defaults: RoleFields;
  /** The corpus the form opens on (from "Start a run on this corpus"); the first corpus when null or unknown. */
  initialCorpus?: string | null;
}) {
  const router = useRouter();
  const refusal = useRoleRefusal("curator", "Starting a run");
  const [oneServer, setOneServer] = useState(true);
  const [shared, setShared] = useState<RoleFields>(defaults);
  const [roles, setRoles] = useState<Record<PipelineRole, RoleFields>>(
    () => Object.fromEntries(PIPELINE_ROLES.map((role) => [role, defaults])) as Record<PipelineRole, RoleFields>,
  );
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });

  function toggleOneServer(checked: boolean) {
    // Splitting starts every role from the shared server, the usual first step of a multi-server setup.
    if (!checked) setRoles(Object.fromEntries(PIPELINE_ROLES.map((role) => [role, shared])) as Record<PipelineRole, RoleFields>);
    setOneServer(checked);
  }

  function roleSettings(fields: RoleFields, label: string): Record<string, unknown> | string {
    const maxInFlight = wholeNumber(`${label}: max in flight`, fields.maxInFlight);
    const timeoutMs = wholeNumber(`${label}: timeout`, fields.timeoutMs);
    if (typeof maxInFlight === "string") return maxInFlight;
    if (typeof timeoutMs === "string") return timeoutMs;
    return {
      baseUrl: fields.baseUrl.trim(),
      model: fields.model.trim(),
      ...(fields.apiKeyEnv.trim() ? { apiKeyEnv: fields.apiKeyEnv.trim() } : {}),
      maxInFlight,
      timeoutMs,
    };
  }

  function buildConfig(form: FormData): Record<string, unknown> | FieldProblem {
    const text = (name: string) => formText(form, name).trim();
    const numbers = {
      limit: wholeNumber("Sample size", text("limit"), true),
      tierThreshold: wholeNumber("Tier threshold", text("tierThreshold")),
      batchSize: wholeNumber("Batch size", text("batchSize")),
      outputRetries: wholeNumber("Output retries", text("outputRetries")),
    };
    const problem = Object.entries(numbers).find((entry): entry is [string, string] => typeof entry[1] === "string");
    if (problem) return { field: problem[0], message: problem[1] };
    const roleConfigs: Record<string, unknown> = {};
    for (const role of PIPELINE_ROLES) {
      const settings = roleSettings(oneServer ? shared : roles[role], oneServer ? "All roles" : ROLE_LABELS[role]);
      if (typeof settings === "string") return { field: null, message: settings };
      roleConfigs[role] = settings;
    }
    const prompts: Record<string, number> = {};
    for (const { key } of promptKeys) {
      const chosen = text(`prompt:${key}`);
      if (chosen) prompts[key] = Number(chosen);
    }
    return {
      ...(text("name") ? { name: text("name") } : {}),
      corpus: text("corpus"),
      ...Object.fromEntries(Object.entries(numbers).filter(([, value]) => value !== undefined)),
      seed: text("seed"),
      rewardEndpoint: text("rewardEndpoint"),
      prompts,
      roles: roleConfigs,
    };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const config = buildConfig(new FormData(event.currentTarget));
    if ("message" in config && typeof config.message === "string") {
      const problem = config as FieldProblem;
      setPhase({ kind: "failed", reason: problem.message, problems: [problem] });
      return;
    }
    const check = runConfigSchema.safeParse(config);
    if (!check.success) {
      const problems = check.error.issues.map(plainIssue);
      setPhase({ kind: "failed", reason: problems.map((problem) => problem.message).join("; "), problems });
      return;
    }
    setPhase({ kind: "starting" });
    try {
      const response = await fetch("/api/runs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(config),
      });
      const body = (await response.json()) as { runId?: string; error?: string };
      if (!response.ok || !body.runId) {
        setPhase({ kind: "failed", reason: body.error ?? `the server answered ${response.status}`, problems: [] });
        return;
      }
      router.push(`/runs/${body.runId}`);
    } catch {
      setPhase({ kind: "failed", reason: "the studio did not answer", problems: [] });
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="New run" noValidate>
      <label>
        Corpus
        <select
          name="corpus"
          required
          defaultValue={corpora.find((corpus) => corpus.name === initialCorpus)?.name ?? corpora[0]?.name ?? ""}
        >
          {corpora.map((corpus) => (
            <option key={corpus.name} value={corpus.name}>
              {corpus.name} ({corpus.texts.toLocaleString("en")} texts)
            </option>
          ))}
        </select>
      </label>
      <label>
        Name (optional)
        <input type="text" name="name" maxLength={200} placeholder="corpus and date" />
      </label>
      <label>
        Sample size (texts)
        <input type="text" name="limit" inputMode="numeric" placeholder="all texts" />
        <FieldMessage phase={phase} field="limit" />
      </label>
      <label>
        Seed
        <input type="text" name="seed" defaultValue="finemed" required maxLength={200} />
        <FieldMessage phase={phase} field="seed" />
      </label>
      <label>
        Tier threshold (complex when difficulty ≥)
        <input type="text" name="tierThreshold" inputMode="numeric" defaultValue="8" required />
        <FieldMessage phase={phase} field="tierThreshold" />
      </label>
      <label>
        Batch size
        <input type="text" name="batchSize" inputMode="numeric" defaultValue="100" required />
        <FieldMessage phase={phase} field="batchSize" />
      </label>
      <label>
        Output retries
        <input type="text" name="outputRetries" inputMode="numeric" defaultValue="2" required />
        <FieldMessage phase={phase} field="outputRetries" />
      </label>
      <label>
        Reward endpoint
        <select name="rewardEndpoint" defaultValue="pooling">
          <option value="pooling">/pooling (vLLM reward model)</option>
          <option value="classify">/classify</option>
        </select>
      </label>
      <label className="wide" style={{ display: "flex", gap: 8, alignItems: "center" }}>
        <input type="checkbox" checked={oneServer} onChange={(event) => toggleOneServer(event.target.checked)} /> Use one server for every
        role
      </label>
      {oneServer ? (
        <RoleBackendFields legend="All roles" fields={shared} onChange={setShared} />
      ) : (
        PIPELINE_ROLES.map((role) => (
          <RoleBackendFields
            key={role}
            legend={ROLE_LABELS[role]}
            fields={roles[role]}
            onChange={(fields) => setRoles((current) => ({ ...current, [role]: fields }))}
          />
        ))
      )}
      <PromptVersionFields keys={promptKeys} />
      <div className="wide" style={{ display: "flex", gap: 12, alignItems: "center" }}>
        <button type="submit" disabled={phase.kind === "starting" || corpora.length === 0 || refusal !== null}>
          Start run
        </button>
        <RoleReason refusal={refusal} />
        {phase.kind === "starting" ? <span className="muted">Starting…</span> : null}
        <ProblemAlert problem={phase.kind === "failed" ? phase.reason : null} />
      </div>
    </form>
  );
}
