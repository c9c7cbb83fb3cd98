"use client";

import { useCallback, useState } from "react";
import { usePolling } from "@/components/use-polling";
import type { TrainingChainView } from "@/lib/training";
import { STAND_IN_LABEL } from "@/lib/training/stand-in-label";
import { sendJson } from "@/components/samples/send-json";
import { formatDuration, formatTime, trainingStateClass } from "@/components/training/chain-format";
import { JobLog } from "@/components/training/job-log";
import { ProblemAlert } from "@/components/problem-alert";
import { EvaluationTable } from "@/components/training/evaluation-table";

const REFRESH_MS = 2_000;

/** Stage times within a chain: the clock is enough (the chain shows the date). */
const clock = (iso: string | null) => (iso ? formatTime(iso).slice(11) : "—");

/** A chain's stages with state, timing, exit codes and the failure reason, refreshed until the chain ends. */
export function ChainJobs({ initial }: { initial: TrainingChainView }) {
  const [chain, setChain] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const running = chain.finishedAt === null;

  const refresh = useCallback(async () => {
    const answer = await sendJson<TrainingChainView>(`/api/training/${initial.id}`, "GET");
    if (answer.ok) setChain(answer.value);
  }, [initial.id]);

  usePolling(refresh, REFRESH_MS, { active: running });

  async function cancel() {
    setBusy(true);
    setProblem(null);
    const answer = await sendJson<TrainingChainView>(`/api/training/${initial.id}/cancel`, "POST");
    setBusy(false);
    if (answer.ok) setChain(answer.value);
    else setProblem(answer.error);
  }

  return (
    <>
      <div className="panel">
        <dl className="facts">
          <dt>State</dt>
          <dd className={trainingStateClass(chain.state)} data-testid="chain-state">
            {chain.state}
          </dd>
          {chain.reason ? (
            <>
              <dt>Reason</dt>
              <dd>
                <pre className="rejections" data-testid="chain-reason" style={{ whiteSpace: "pre-wrap", margin: 0 }}>
                  {chain.reason}
                </pre>
              </dd>
            </>
          ) : null}
          <dt>Submitted</dt>
          <dd>
            {chain.submittedBy} · {formatTime(chain.createdAt)}
          </dd>
          <dt>Finished</dt>
          <dd>{formatTime(chain.finishedAt)}</dd>
        </dl>
        {running ? (
          <div className="review-actions">
            <button type="button" className="secondary" onClick={cancel} disabled={busy}>
              Cancel chain
            </button>
            <ProblemAlert problem={problem} />
          </div>
        ) : null}
      </div>

      <h2>Stages</h2>
      <table className="grid compact" aria-label="Stages">
        <thead>
          <tr>
            <th>#</th>
            <th>Stage</th>
            <th>Slurm job</th>
            <th>State</th>
            <th>Submitted</th>
            <th>Started</th>
            <th>Ended</th>
            <th className="num">Duration</th>
            <th className="num">Exit</th>
            <th>Dependency</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {chain.jobs.map((job) => (
            <tr key={job.id} data-testid={`stage-${job.stage}`}>
              <td>{job.stageOrder}</td>
              <td title={job.title}>
                <code>{job.stage}</code>
              </td>
              <td>{job.clusterJobId ?? "—"}</td>
              <td className={trainingStateClass(job.state)} data-testid="stage-state">
                {job.state}
                {job.standIn ? (
                  <span
                    className="pill muted"
                    data-testid="stand-in-label"
                    title="The stand-in checked the export's files; no model was trained"
                    style={{ marginLeft: 4 }}
                  >
                    {STAND_IN_LABEL}
                  </span>
                ) : null}
              </td>
              <td className="muted">{clock(job.submittedAt)}</td>
              <td className="muted">{clock(job.startedAt)}</td>
              <td className="muted">{clock(job.endedAt)}</td>
              <td className="num">{formatDuration(job.durationSeconds)}</td>
              <td className="num">{job.exitCode ?? "—"}</td>
              <td className="muted">{job.dependency ?? "—"}</td>
              <td className="small" style={{ whiteSpace: "pre-wrap", maxWidth: 360 }}>
                {job.reason ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Evaluation</h2>
      <EvaluationTable evaluations={chain.evaluations} />

      <h2>Logs</h2>
      <JobLog chainId={chain.id} jobs={chain.jobs.map((job) => ({ id: job.id, stage: job.stage }))} active={running} />

      <h2>Scripts</h2>
      {chain.jobs.map((job) => (
        <details key={job.id}>
          <summary>
            <code>{job.stage}</code> sbatch script
          </summary>
          <pre className="rejections" style={{ whiteSpace: "pre-wrap" }}>
            {job.script || "(not submitted)"}
          </pre>
        </details>
      ))}
    </>
  );
}
