"use client";

import { useState, type FormEvent } from "react";
import { sendJson } from "@/components/samples/send-json";

type Method = "umap" | "tsne";

/** Starts a projection in the worker (POST /api/projections) with the parameters a curator chose. */
export function NewProjectionForm({ onCreated }: { onCreated: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [method, setMethod] = useState<Method>("umap");
  const [nNeighbors, setNNeighbors] = useState("15");
  const [minDist, setMinDist] = useState("0.1");
  const [perplexity, setPerplexity] = useState("30");
  const [seed, setSeed] = useState("42");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parameters =
      method === "umap"
        ? { nNeighbors: Number(nNeighbors), minDist: Number(minDist), seed: Number(seed) }
        : { perplexity: Number(perplexity), seed: Number(seed) };
    setBusy(true);
    const answer = await sendJson<{ id: string }>("/api/projections", "POST", { method, parameters });
    setBusy(false);
    if (!answer.ok) {
      setMessage({ ok: false, text: answer.error });
      return;
    }
    setMessage({ ok: true, text: "Queued; it appears in the list with its progress." });
    onCreated(answer.value.id);
  }

  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        New projection…
      </button>
    );
  }
  return (
    <form className="map-new-projection" aria-label="New projection" onSubmit={submit}>
      <label>
        Method
        <select value={method} onChange={(event) => setMethod(event.target.value as Method)}>
          <option value="umap">UMAP</option>
          <option value="tsne">t-SNE</option>
        </select>
      </label>
      {method === "umap" ? (
        <>
          <label>
            nNeighbors
            <input
              type="number"
              min={2}
              max={200}
              step={1}
              value={nNeighbors}
              onChange={(event) => setNNeighbors(event.target.value)}
              required
            />
          </label>
          <label>
            minDist
            <input type="number" min={0} max={1} step="any" value={minDist} onChange={(event) => setMinDist(event.target.value)} required />
          </label>
        </>
      ) : (
        <label>
          Perplexity
          <input
            type="number"
            min={2}
            max={100}
            step="any"
            value={perplexity}
            onChange={(event) => setPerplexity(event.target.value)}
            required
          />
        </label>
      )}
      <label>
        Seed
        <input type="number" min={0} step={1} value={seed} onChange={(event) => setSeed(event.target.value)} required />
      </label>
      <button type="submit" disabled={busy}>
        Start projection
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Close
      </button>
      {message ? (
        <span className={message.ok ? "status-ok" : "status-bad"} role={message.ok ? "status" : "alert"}>
          {message.text}
        </span>
      ) : null}
    </form>
  );
}
