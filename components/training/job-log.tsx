"use client";

import { useCallback, useState } from "react";
import { usePolling } from "@/components/use-polling";
import { sendJson } from "@/components/samples/send-json";

interface JobLogAnswer {
  path: string;
  text: string | null;
}

/** The tail of one stage's stdout or stderr, refreshed every few seconds while the stage is active. */
export function JobLog({ chainId, jobs, active }: { chainId: string; jobs: { id: string; stage: string }[]; active: boolean }) {
  const [jobId, setJobId] = useState(jobs[0]?.id ?? "");
  const [stream, setStream] = useState<"out" | "err">("out");
  const [log, setLog] = useState<JobLogAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!jobId) return;
    const answer = await sendJson<JobLogAnswer>(`/api/training/${chainId}/jobs/${jobId}/log?stream=${stream}&bytes=32000`, "GET");
    if (answer.ok) {
      setLog(answer.value);
      setProblem(null);
    } else setProblem(answer.error);
  }, [chainId, jobId, stream]);

  usePolling(load, 3_000, { active, immediate: true });

  return (
    <div>
      <div className="review-actions">
        <label>
          Stage
          <select value={jobId} onChange={(event) => setJobId(event.target.value)} aria-label="Log of stage">
            {jobs.map((job) => (
              <option key={job.id} value={job.id}>
                {job.stage}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stream
          <select value={stream} onChange={(event) => setStream(event.target.value === "err" ? "err" : "out")} aria-label="Log stream">
            <option value="out">stdout</option>
            <option value="err">stderr</option>
          </select>
        </label>
        <button type="button" className="secondary" onClick={() => void load()}>
          Refresh
        </button>
        {log ? <code className="muted small">{log.path}</code> : null}
      </div>
      {problem ? (
        <p className="status-bad" role="alert">
          {problem}
        </p>
      ) : null}
      <pre className="rejections" data-testid="job-log" style={{ maxHeight: 360, whiteSpace: "pre-wrap", marginTop: 10 }}>
        {log === null ? "…" : log.text === null ? "(no log yet: the stage has not started)" : log.text || "(empty)"}
      </pre>
    </div>
  );
}
