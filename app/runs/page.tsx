import Link from "next/link";
import { database } from "@/lib/db/database";
import { listRunProgress } from "@/lib/runs/run-list";
import { AutoRefresh } from "@/components/runs/auto-refresh";
import { formatCount, formatWhen, isActiveRun, runStatusClass } from "@/components/runs/run-status";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  const db = await database();
  const runs = await listRunProgress(db);
  return (
    <>
      <div style={{ display: "flex", alignItems: "baseline", gap: 16 }}>
        <h1 style={{ flex: 1 }}>Runs</h1>
        <Link href="/prompts">Prompts</Link>
        <Link href="/runs/new">New run</Link>
      </div>
      <p className="lead">
        Synthesis runs of the FineMed pipeline over a corpus: instructions, judgements, Algorithm 1, answers, long-form reasoning, DPO pairs
        and department labels, against your OpenAI-compatible servers.
      </p>
      <AutoRefresh active={runs.some((run) => isActiveRun(run.status))} />
      <table className="grid" aria-label="Runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Corpus</th>
            <th>Status</th>
            <th style={{ minWidth: 120 }}>Progress</th>
            <th className="num">Texts</th>
            <th className="num">Kept</th>
            <th className="num">None kept</th>
            <th className="num">Failed</th>
            <th className="num">Calls made</th>
            <th className="num">Reused</th>
            <th className="num">Tokens</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {runs.length === 0 ? (
            <tr>
              <td colSpan={12} className="empty">
                No run yet. <Link href="/runs/new">Start one</Link>, or run{" "}
                <code>npx finemed run --corpus NAME --backend URL --model NAME</code>.
              </td>
            </tr>
          ) : (
            runs.map((run) => (
              <tr key={run.runId}>
                <td>
                  <Link href={`/runs/${run.runId}`}>{run.name}</Link>
                  {run.simulated ? (
                    <>
                      {" "}
                      <span className="pill">simulated backend</span>
                    </>
                  ) : null}
                </td>
                <td>{run.corpus}</td>
                <td className={runStatusClass(run.status)}>{run.status}</td>
                <td>
                  <progress value={run.done} max={Math.max(run.texts, 1)} aria-label={`Progress of ${run.name}`} />
                </td>
                <td className="num">
                  {formatCount(run.done)}/{formatCount(run.texts)}
                </td>
                <td className="num">{formatCount(run.kept)}</td>
                <td className="num">{formatCount(run.noneKept)}</td>
                <td className={`num${run.failed > 0 ? " status-bad" : ""}`}>{formatCount(run.failed)}</td>
                <td className="num">{formatCount(run.callsMade)}</td>
                <td className="num">{formatCount(run.callsReused)}</td>
                <td className="num">{formatCount(run.tokens)}</td>
                <td className="muted" style={{ whiteSpace: "nowrap" }}>
                  {formatWhen(run.createdAt).slice(0, 16)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  );
}
