import type { StageProgress } from "@/lib/runs/run-detail";
import { formatCount } from "./run-status";

export function StageTable({ stages }: { stages: StageProgress[] }) {
  return (
    <table className="grid" aria-label="Stages">
      <thead>
        <tr>
          <th>Stage</th>
          <th className="num">Calls made</th>
          <th className="num">Reused</th>
          <th className="num">Prompt tokens</th>
          <th className="num">Completion tokens</th>
          <th className="num">Tokens saved</th>
          <th className="num">Mean latency</th>
          <th className="num">Failures</th>
        </tr>
      </thead>
      <tbody>
        {stages.map((stage) => (
          <tr key={stage.stage}>
            <td>
              {stage.stage}
              {stage.callsOf ? <div className="muted">calls of {stage.callsOf.join(" + ")}</div> : null}
            </td>
            <td className="num">{formatCount(stage.callsMade)}</td>
            <td className="num">{formatCount(stage.callsReused)}</td>
            <td className="num">{formatCount(stage.promptTokens)}</td>
            <td className="num">{formatCount(stage.completionTokens)}</td>
            <td className="num">{formatCount(stage.tokensSaved)}</td>
            <td className="num">{stage.meanLatencyMs === null ? "—" : `${formatCount(stage.meanLatencyMs)} ms`}</td>
            <td className={`num${stage.textsFailed > 0 ? " status-bad" : ""}`}>{formatCount(stage.textsFailed)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
