import type { SampleDetail } from "@/lib/samples/sample-detail";
import { formatWhen } from "@/components/samples/sample-format";

/** Where every part of the sample came from: prompt versions, backend calls, and the raw outputs behind them. */
export function LineageSection({ detail }: { detail: SampleDetail }) {
  const { prompts, calls } = detail.lineage;
  return (
    <section aria-label="Lineage">
      <h3>Lineage</h3>
      <table className="grid compact" aria-label="Prompt versions">
        <thead>
          <tr>
            <th>Step</th>
            <th>Prompt</th>
            <th className="num">Version</th>
          </tr>
        </thead>
        <tbody>
          {prompts.map((prompt) => (
            <tr key={`${prompt.purpose}-${prompt.key}`}>
              <td>{prompt.purpose}</td>
              <td>{prompt.key}</td>
              <td className="num">{prompt.version}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="grid compact" aria-label="Backend calls">
        <thead>
          <tr>
            <th>Step</th>
            <th>Model</th>
            <th className="num">Tokens in/out</th>
            <th className="num">Latency</th>
            <th>At</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={`${call.purpose}-${call.key}`}>
              <td>{call.purpose}</td>
              <td>{call.model ?? "–"}</td>
              <td className="num">
                {call.promptTokens ?? "–"}/{call.completionTokens ?? "–"}
              </td>
              <td className="num">{call.latencyMs === null ? "–" : `${call.latencyMs} ms`}</td>
              <td className="muted">{call.createdAt ? formatWhen(call.createdAt) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Raw outputs</summary>
        {detail.instructions.map((instruction, index) =>
          instruction.judgement ? (
            <div key={`j${instruction.id}`}>
              <h4>Judgement of instruction {"AB"[index] ?? index + 1}</h4>
              <pre className="raw">{instruction.judgement.rawOutput}</pre>
            </div>
          ) : null,
        )}
        {detail.responses.map((response) => (
          <div key={`r${response.id}`}>
            <h4>{response.kind}</h4>
            <pre className="raw">{response.rawOutput}</pre>
          </div>
        ))}
        {detail.modelLabels.map((label) => (
          <div key={`l${label.level}`}>
            <h4>classification-{label.level}</h4>
            <pre className="raw">{label.rawAnswer}</pre>
          </div>
        ))}
      </details>
    </section>
  );
}
