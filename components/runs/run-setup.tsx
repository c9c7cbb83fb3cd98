import Link from "next/link";
import type { RunConfigView, RunPromptVersion } from "@/lib/runs/run-detail";
import { promptAnchor } from "@/components/prompts/prompt-anchor";
import { ModelName } from "./model-name";

/** What the run was started with: its settings, every role's server, and the exact prompt versions. */
export function RunSetup({ config, prompts }: { config: RunConfigView | null; prompts: RunPromptVersion[] }) {
  return (
    <>
      <h2>Prompt versions used</h2>
      <table className="grid" aria-label="Prompt versions used">
        <thead>
          <tr>
            <th>Prompt</th>
            <th className="num">Version</th>
            <th>Checksum (SHA-256)</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {prompts.map((prompt) => (
            <tr key={prompt.key}>
              <td>
                <Link href={`/prompts#${promptAnchor(prompt.key, prompt.version)}`}>{prompt.key}</Link>
              </td>
              <td className="num">v{prompt.version}</td>
              <td>
                <code title={prompt.checksum}>{prompt.checksum.slice(0, 12)}</code>
              </td>
              <td className="muted">{prompt.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Configuration</h2>
      {config === null ? (
        <p className="muted">This run&apos;s stored configuration predates the current schema.</p>
      ) : (
        <>
          <div className="panel">
            <dl className="facts">
              <dt>Sample size</dt>
              <dd>{config.limit === null ? "all texts" : config.limit.toLocaleString("en")}</dd>
              <dt>Seed</dt>
              <dd>{config.seed}</dd>
              <dt>Tier threshold</dt>
              <dd>complex when difficulty ≥ {config.tierThreshold}</dd>
              <dt>Batch size</dt>
              <dd>{config.batchSize}</dd>
              <dt>Output retries</dt>
              <dd>{config.outputRetries}</dd>
              <dt>Reward endpoint</dt>
              <dd>/{config.rewardEndpoint}</dd>
            </dl>
          </div>
          <table className="grid run-roles" aria-label="Roles">
            <thead>
              <tr>
                <th>Role</th>
                <th>Base URL</th>
                <th>Model</th>
                <th>API key env</th>
                <th className="num">Max in flight</th>
                <th className="num">Timeout</th>
                <th className="num">Retries</th>
              </tr>
            </thead>
            <tbody>
              {config.roles.map((role) => (
                <tr key={role.role}>
                  <td>{role.role}</td>
                  <td>{role.baseUrl}</td>
                  <td>
                    <ModelName model={role.model} />
                  </td>
                  <td>{role.apiKeyEnv ? <code>${role.apiKeyEnv}</code> : <span className="muted">none</span>}</td>
                  <td className="num">{role.maxInFlight}</td>
                  <td className="num">{role.timeoutMs.toLocaleString("en")} ms</td>
                  <td className="num">{role.maxRetries}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
