"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ClusterProfile } from "@/lib/training";
import { ProblemAlert } from "@/components/problem-alert";
import { RoleReason, useRoleRefusal } from "@/components/role-context";

interface StageInfo {
  key: string;
  title: string;
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");

function envText(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join("\n");
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    lines(text).map((line) => [
      line.slice(0, line.indexOf("=") < 0 ? line.length : line.indexOf("=")).trim(),
      line.includes("=") ? line.slice(line.indexOf("=") + 1) : "",
    ]),
  );
}

/**
 * Edits a cluster profile: submit mode and its target, partition, GPUs, time, container/module lines,
 * environment, the trainer command (default and per stage) and per-stage sbatch templates. The server
 * validates (unknown placeholders, secret-looking variables, …) and answers with the reasons.
 */
export function ProfileEditor({
  profiles,
  stages,
  defaultTemplate,
  placeholders,
}: {
  profiles: ClusterProfile[];
  stages: StageInfo[];
  defaultTemplate: string;
  placeholders: readonly string[];
}) {
  const refusal = useRoleRefusal("admin", "Saving a cluster profile");
  const router = useRouter();
  const [selected, setSelected] = useState(profiles[0]!.name);
  const [draft, setDraft] = useState<ClusterProfile>(profiles[0]!);
  const [setup, setSetup] = useState(draft.setupLines.join("\n"));
  const [env, setEnv] = useState(envText(draft.env));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  function pick(name: string) {
    const profile = profiles.find((p) => p.name === name) ?? { ...profiles[0]!, name: "" };
    setSelected(name);
    setDraft(profile);
    setSetup(profile.setupLines.join("\n"));
    setEnv(envText(profile.env));
    setProblem(null);
    setSaved(null);
  }

  const set = <K extends keyof ClusterProfile>(key: K, value: ClusterProfile[K]) => setDraft((current) => ({ ...current, [key]: value }));

  async function save() {
    setProblem(null);
    setSaved(null);
    const body = { ...draft, setupLines: lines(setup), env: parseEnv(env) };
    const response = await fetch("/api/training/profiles", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch(() => null);
    const answer = (await response?.json().catch(() => null)) as { error?: string } | null;
    if (!response?.ok) setProblem(answer?.error ?? "the studio did not answer");
    else {
      setSaved(`saved ${draft.name}`);
      router.refresh();
    }
  }

  return (
    <div className="panel" data-testid="profile-editor">
      <div className="review-actions" style={{ marginTop: 0 }}>
        <label>
          Profile
          <select value={selected} onChange={(event) => pick(event.target.value)} aria-label="Profile to edit">
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
            <option value="">(new profile)</option>
          </select>
        </label>
        <label>
          Name
          <input type="text" value={draft.name} onChange={(event) => set("name", event.target.value)} aria-label="Profile name" />
        </label>
        <label>
          Kind
          <select value={draft.kind} onChange={(event) => set("kind", event.target.value === "kubernetes" ? "kubernetes" : "slurm")}>
            <option value="slurm">Slurm</option>
            <option value="kubernetes">Kubernetes (manifests)</option>
          </select>
        </label>
        <label>
          Submit with
          <select
            value={draft.submitMode}
            onChange={(event) => set("submitMode", event.target.value as ClusterProfile["submitMode"])}
            aria-label="Submit mode"
          >
            <option value="local">sbatch on this machine</option>
            <option value="ssh">sbatch over ssh</option>
            <option value="slurmrestd">slurmrestd (JWT)</option>
          </select>
        </label>
      </div>
      {draft.submitMode === "ssh" ? (
        <div className="review-actions">
          <label>
            ssh host
            <input
              type="text"
              value={draft.ssh?.host ?? ""}
              onChange={(event) => set("ssh", { host: event.target.value, user: draft.ssh?.user ?? null, port: draft.ssh?.port ?? null })}
            />
          </label>
          <label>
            ssh user
            <input
              type="text"
              value={draft.ssh?.user ?? ""}
              onChange={(event) =>
                set("ssh", { host: draft.ssh?.host ?? "", user: event.target.value || null, port: draft.ssh?.port ?? null })
              }
            />
          </label>
        </div>
      ) : null}
      {draft.submitMode === "slurmrestd" ? (
        <div className="review-actions">
          <label>
            slurmrestd URL
            <input
              type="text"
              value={draft.restd?.url ?? ""}
              onChange={(event) =>
                set("restd", {
                  url: event.target.value,
                  tokenEnv: draft.restd?.tokenEnv ?? "SLURM_JWT",
                  userName: draft.restd?.userName ?? "",
                  apiVersion: draft.restd?.apiVersion ?? "v0.0.38",
                })
              }
            />
          </label>
          <label>
            Token environment variable (name only)
            <input
              type="text"
              value={draft.restd?.tokenEnv ?? ""}
              onChange={(event) =>
                set("restd", {
                  url: draft.restd?.url ?? "",
                  tokenEnv: event.target.value,
                  userName: draft.restd?.userName ?? "",
                  apiVersion: draft.restd?.apiVersion ?? "v0.0.38",
                })
              }
            />
          </label>
          <label>
            Slurm user
            <input
              type="text"
              value={draft.restd?.userName ?? ""}
              onChange={(event) =>
                set("restd", {
                  url: draft.restd?.url ?? "",
                  tokenEnv: draft.restd?.tokenEnv ?? "SLURM_JWT",
                  userName: event.target.value,
                  apiVersion: draft.restd?.apiVersion ?? "v0.0.38",
                })
              }
            />
          </label>
        </div>
      ) : null}
      <div className="review-actions">
        <label>
          Partition
          <input
            type="text"
            value={draft.partition ?? ""}
            onChange={(event) => set("partition", event.target.value || null)}
            aria-label="Partition"
          />
        </label>
        <label>
          Account
          <input type="text" value={draft.account ?? ""} onChange={(event) => set("account", event.target.value || null)} />
        </label>
        <label>
          GPUs per stage
          <input
            type="number"
            min={0}
            max={64}
            value={draft.gpus}
            onChange={(event) => set("gpus", Number(event.target.value))}
            aria-label="GPUs"
            style={{ width: 70 }}
          />
        </label>
        <label>
          CPUs per task
          <input
            type="number"
            min={1}
            max={512}
            value={draft.cpusPerTask}
            onChange={(event) => set("cpusPerTask", Number(event.target.value))}
            style={{ width: 70 }}
          />
        </label>
        <label>
          Time limit
          <input type="text" value={draft.timeLimit} onChange={(event) => set("timeLimit", event.target.value)} style={{ width: 110 }} />
        </label>
        <label>
          Work directory
          <input
            type="text"
            value={draft.workDir ?? ""}
            onChange={(event) => set("workDir", event.target.value || null)}
            placeholder="FINEMED_HOME/training"
          />
        </label>
      </div>
      <div className="review-actions">
        <label style={{ flex: 1 }}>
          Container / module lines (one per line)
          <textarea rows={3} value={setup} onChange={(event) => setSetup(event.target.value)} placeholder="module load cuda/12.1" />
        </label>
        <label style={{ flex: 1 }}>
          Environment (NAME=value per line; no secrets)
          <textarea rows={3} value={env} onChange={(event) => setEnv(event.target.value)} placeholder="HF_HOME=/shared/hf" />
        </label>
      </div>
      <div className="review-actions">
        <label style={{ flex: 1 }}>
          Trainer command (every stage without its own)
          <input
            type="text"
            value={draft.trainerCommand}
            onChange={(event) => set("trainerCommand", event.target.value)}
            aria-label="Trainer command"
            style={{ width: "100%" }}
          />
        </label>
      </div>
      <details style={{ marginTop: 12 }}>
        <summary>Per stage: trainer command and sbatch template</summary>
        <p className="muted small">
          Placeholders: {placeholders.map((p) => `{{${p}}}`).join(" ")}. A real cluster might use{" "}
          <code>llamafactory-cli train {"{{config}}"}</code>.
        </p>
        {stages.map((stage) => (
          <div key={stage.key} className="review-actions">
            <label style={{ flex: 1 }}>
              {stage.key}: {stage.title}
              <input
                type="text"
                value={draft.trainerCommands[stage.key] ?? ""}
                placeholder={draft.trainerCommand}
                onChange={(event) => {
                  const next = { ...draft.trainerCommands, [stage.key]: event.target.value };
                  if (event.target.value.trim() === "") delete next[stage.key as keyof typeof next];
                  set("trainerCommands", next);
                }}
              />
            </label>
            <label style={{ flex: 1 }}>
              sbatch template (empty: the default)
              <textarea
                rows={2}
                value={draft.stageTemplates[stage.key] ?? ""}
                placeholder={defaultTemplate}
                onChange={(event) => {
                  const next = { ...draft.stageTemplates, [stage.key]: event.target.value };
                  if (event.target.value.trim() === "") delete next[stage.key as keyof typeof next];
                  set("stageTemplates", next);
                }}
              />
            </label>
          </div>
        ))}
      </details>
      <div className="review-actions">
        <button type="button" onClick={save} disabled={refusal !== null} aria-describedby={refusal ? "profile-role-reason" : undefined}>
          Save profile
        </button>
        <span id="profile-role-reason">
          <RoleReason refusal={refusal} />
        </span>
        {saved ? <span className="status-ok">{saved}</span> : null}
        <ProblemAlert problem={problem} />
      </div>
    </div>
  );
}
