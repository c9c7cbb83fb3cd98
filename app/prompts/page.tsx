import Link from "next/link";
import { database } from "@/lib/db/database";
import { listPrompts } from "@/lib/runs/prompt-store";
import { promptAnchor } from "@/components/prompts/prompt-anchor";
import { inPipelineOrder } from "@/components/prompts/prompt-order";
import { DerivePromptForm } from "@/components/prompts/derive-prompt-form";

export const dynamic = "force-dynamic";

const PRE_STYLE = {
  margin: 0,
  maxHeight: 320,
  overflow: "auto",
  whiteSpace: "pre-wrap",
  overflowWrap: "anywhere",
  fontSize: 12,
  background: "#fbfbfc",
  border: "1px solid var(--line)",
  borderRadius: 6,
  padding: "8px 10px",
} as const;

export default async function PromptsPage() {
  const prompts = await listPrompts(await database());
  const versionOf = new Map(prompts.map((prompt) => [prompt.id, prompt.version]));
  const keys = inPipelineOrder(new Set(prompts.map((prompt) => prompt.key)));
  return (
    <>
      <p className="muted">
        <Link href="/runs">Runs</Link> / prompts
      </p>
      <h1>Prompts</h1>
      <p className="lead">
        Version 1 of every prompt is the paper&apos;s text (Appendix A and D, Tables 4–13). An edit becomes a new version; a version is
        never changed, so every run keeps the exact text it used, and a new run takes the newest version unless told otherwise.
      </p>
      <h2>Derive a new version</h2>
      <div className="panel">
        <DerivePromptForm
          keys={keys}
          prompts={prompts.map((prompt) => ({ key: prompt.key, version: prompt.version, template: prompt.template }))}
        />
      </div>
      {keys.map((key) => (
        <section key={key} id={promptAnchor(key)}>
          <h2>{key}</h2>
          <table className="grid" aria-label={`Versions of ${key}`}>
            <thead>
              <tr>
                <th className="num">Version</th>
                <th>Checksum (SHA-256)</th>
                <th>Source</th>
                <th>Derived from</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {prompts
                .filter((prompt) => prompt.key === key)
                .reverse()
                .map((prompt) => (
                  <tr key={prompt.id} id={promptAnchor(prompt.key, prompt.version)}>
                    <td className="num">v{prompt.version}</td>
                    <td>
                      <code title={prompt.checksum}>{prompt.checksum.slice(0, 12)}</code>
                    </td>
                    <td>{prompt.source}</td>
                    <td>{prompt.derivedFromId ? `v${versionOf.get(prompt.derivedFromId) ?? "?"}` : "—"}</td>
                    <td className="muted">
                      {prompt.createdAt.toISOString().replace("T", " ").slice(0, 16)} by {prompt.createdBy}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
          {prompts
            .filter((prompt) => prompt.key === key)
            .reverse()
            .map((prompt) => (
              <details
                key={prompt.id}
                open={prompt.version === Math.max(...prompts.filter((p) => p.key === key).map((p) => p.version))}
                style={{ marginTop: 8 }}
              >
                <summary>
                  {key} v{prompt.version} text
                </summary>
                {/* Focusable, so a template wider or taller than its box scrolls from the keyboard too. */}
                <pre style={PRE_STYLE} tabIndex={0}>
                  {prompt.template}
                </pre>
              </details>
            ))}
        </section>
      ))}
    </>
  );
}
