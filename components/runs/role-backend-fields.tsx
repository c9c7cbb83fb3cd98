"use client";

import { useState } from "react";
import type { ConnectionTest } from "@/lib/runs/connection-test";

/** One role's backend as the form holds it: text, parsed on submit. */
export interface RoleFields {
  baseUrl: string;
  model: string;
  apiKeyEnv: string;
  maxInFlight: string;
  timeoutMs: string;
}

type Test = { kind: "idle" } | { kind: "testing" } | { kind: "done"; check: ConnectionTest } | { kind: "failed"; reason: string };

/** A role's server fields with its own "Test connection" (POST /api/backends/check). */
export function RoleBackendFields({
  legend,
  fields,
  onChange,
}: {
  legend: string;
  fields: RoleFields;
  onChange: (fields: RoleFields) => void;
}) {
  const [test, setTest] = useState<Test>({ kind: "idle" });
  const set = (name: keyof RoleFields) => (event: { target: { value: string } }) => onChange({ ...fields, [name]: event.target.value });

  async function testConnection() {
    setTest({ kind: "testing" });
    try {
      const response = await fetch("/api/backends/check", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          baseUrl: fields.baseUrl.trim(),
          model: fields.model.trim(),
          ...(fields.apiKeyEnv.trim() ? { apiKeyEnv: fields.apiKeyEnv.trim() } : {}),
        }),
      });
      const body = (await response.json()) as ConnectionTest | { error: string };
      if ("error" in body) setTest({ kind: "failed", reason: body.error });
      else setTest({ kind: "done", check: body });
    } catch {
      setTest({ kind: "failed", reason: "the studio did not answer" });
    }
  }

  return (
    <fieldset className="wide panel" style={{ margin: 0 }}>
      <legend>{legend}</legend>
      <div style={{ display: "grid", gap: 12, gridTemplateColumns: "2fr 2fr 1.5fr 1fr 1fr" }}>
        <label style={{ display: "grid", gap: 4 }}>
          Base URL
          <input type="text" value={fields.baseUrl} onChange={set("baseUrl")} required placeholder="http://gpu-host:8000" />
        </label>
        <label style={{ display: "grid", gap: 4 }}>
          Model
          <input type="text" value={fields.model} onChange={set("model")} required placeholder="Qwen/Qwen2.5-72B-Instruct" />
        </label>
        <label style={{ display: "grid", gap: 4 }}>
          API key env name
          <input
            type="text"
            value={fields.apiKeyEnv}
            onChange={set("apiKeyEnv")}
            placeholder="e.g. VLLM_API_KEY"
            pattern="[A-Z_][A-Z0-9_]*"
            title="the NAME of an environment variable, never the key itself"
            autoComplete="off"
          />
        </label>
        <label style={{ display: "grid", gap: 4 }}>
          Max in flight
          <input type="text" inputMode="numeric" value={fields.maxInFlight} onChange={set("maxInFlight")} required />
        </label>
        <label style={{ display: "grid", gap: 4 }}>
          Timeout (ms)
          <input type="text" inputMode="numeric" value={fields.timeoutMs} onChange={set("timeoutMs")} required />
        </label>
      </div>
      <div style={{ display: "flex", gap: 12, alignItems: "center", marginTop: 10 }}>
        <button
          type="button"
          className="secondary"
          onClick={testConnection}
          disabled={test.kind === "testing" || !fields.baseUrl.trim() || !fields.model.trim()}
        >
          Test connection
        </button>
        <TestResult test={test} />
      </div>
    </fieldset>
  );
}

function TestResult({ test }: { test: Test }) {
  switch (test.kind) {
    case "idle":
      return null;
    case "testing":
      return <span className="muted">Testing…</span>;
    case "failed":
      return (
        <span className="status-bad" role="status">
          {test.reason}
        </span>
      );
    case "done": {
      const { check } = test;
      const load = check.load;
      return (
        <span role="status" className={check.ok ? "status-ok" : "status-bad"}>
          {check.ok
            ? `Connected in ${check.latencyMs} ms; serves ${check.models.join(", ")}`
            : `Not usable: ${check.reason ?? "unknown reason"}`}
          {load?.requestsRunning !== undefined ? ` · ${load.requestsRunning} running, ${load.requestsWaiting ?? 0} waiting` : ""}
          {check.schemas
            ? ` · JSON schemas ${check.schemas.enforced === true ? "enforced" : check.schemas.enforced === false ? "ignored (outputs are validated after the fact)" : "not checked"}`
            : ""}
          {check.simulator ? (
            <>
              {" "}
              <span className="pill">simulated backend</span>
            </>
          ) : null}
        </span>
      );
    }
  }
}
