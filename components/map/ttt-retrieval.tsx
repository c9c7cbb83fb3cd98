"use client";

import { useState, type FormEvent } from "react";
import { sendJson } from "@/components/samples/send-json";

interface Retrieved {
  instructionId: number;
  similarity: number;
  instruction: string;
  reasoningSnippet?: string;
}

interface RetrievalAnswer {
  space?: { embedder?: string };
  results?: Retrieved[];
}

/** Test-time-training retrieval: the long-form reasoning samples most similar to a typed question. */
export function TttRetrieval({ onOpen }: { onOpen: (id: number) => void }) {
  const [question, setQuestion] = useState("");
  const [k, setK] = useState("5");
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<RetrievalAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await sendJson<RetrievalAnswer>("/api/ttt/retrieve", "POST", { question, k: Number(k) });
    setBusy(false);
    setProblem(result.ok ? null : result.error);
    setAnswer(result.ok ? result.value : null);
  }

  return (
    <section className="panel map-ttt" aria-label="Test-time-training retrieval">
      <h3>Test-time-training retrieval</h3>
      <form className="map-row" onSubmit={submit}>
        <label className="map-grow">
          Question
          <input
            type="text"
            value={question}
            onChange={(event) => setQuestion(event.target.value)}
            required
            maxLength={4000}
            placeholder="e.g. How is atrial fibrillation anticoagulated after a stroke?"
          />
        </label>
        <label>
          k
          <input type="number" min={1} max={50} value={k} onChange={(event) => setK(event.target.value)} />
        </label>
        <button type="submit" disabled={busy || question.trim() === ""}>
          Retrieve
        </button>
      </form>
      {problem ? (
        <p className="status-bad" role="alert">
          {problem}
        </p>
      ) : null}
      {answer ? (
        <>
          <p className="muted small">Embedder: {answer.space?.embedder ?? "unknown"}</p>
          {(answer.results ?? []).length === 0 ? <p className="muted">No long-form reasoning samples yet.</p> : null}
          <ol className="map-results" data-testid="ttt-results">
            {(answer.results ?? []).map((result) => (
              <li key={result.instructionId}>
                <span className="pill">{result.similarity.toFixed(3)}</span>{" "}
                <button type="button" className="map-link-button" onClick={() => onOpen(result.instructionId)}>
                  {result.instructionId}
                </button>{" "}
                {result.instruction}
                {result.reasoningSnippet ? <div className="muted small">{result.reasoningSnippet}</div> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
