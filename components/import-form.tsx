"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { formText } from "@/components/form-text";

interface ImportResult {
  committed: boolean;
  imported: number;
  duplicates: number;
  rejected: number;
  corpusId: string | null;
  rejections: { line: number; reason: string }[];
  /** Lines imported leniently (a stray quote read literally); absent from older servers. */
  warnings?: { line: number; message: string }[];
}

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; sent: number; total: number }
  | { kind: "processing" }
  | { kind: "done"; result: ImportResult }
  | { kind: "failed"; reason: string };

/** Streams the file as the request body (no multipart buffering) and shows upload progress. */
export function ImportForm({ corpusNames }: { corpusNames: string[] }) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || (file.size === 0 && file.name === "")) {
      setPhase({ kind: "failed", reason: "choose a file to import" });
      return;
    }
    const params = new URLSearchParams();
    for (const key of ["corpus", "format", "textField", "idField", "encoding"] as const) {
      const value = formText(form, key).trim();
      if (value) params.set(key, value);
    }
    if (form.get("strict") === "on") params.set("strict", "true");
    params.set("fileName", file.name);
    // XMLHttpRequest because fetch() still has no upload progress events.
    const request = new XMLHttpRequest();
    request.open("POST", `/api/imports?${params.toString()}`);
    request.setRequestHeader("content-type", "application/octet-stream");
    request.upload.onprogress = (progress) => setPhase({ kind: "uploading", sent: progress.loaded, total: progress.total || file.size });
    request.upload.onload = () => setPhase({ kind: "processing" });
    request.onerror = () => setPhase({ kind: "failed", reason: "the upload was interrupted" });
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        setPhase({ kind: "failed", reason: `the server answered ${request.status}` });
        return;
      }
      if (request.status >= 400) {
        const reason = (body as { error?: string }).error ?? `the server answered ${request.status}`;
        setPhase({ kind: "failed", reason });
        return;
      }
      setPhase({ kind: "done", result: body as ImportResult });
      router.refresh();
    };
    setPhase({ kind: "uploading", sent: 0, total: file.size });
    request.send(file);
  }

  const busy = phase.kind === "uploading" || phase.kind === "processing";
  return (
    <form className="stack" onSubmit={submit} aria-label="Import a file">
      <label>
        Corpus
        <input type="text" name="corpus" required list="corpus-names" placeholder="e.g. pubmedqa" maxLength={200} />
        <datalist id="corpus-names">
          {corpusNames.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </label>
      <label>
        File
        <input type="file" name="file" required accept=".jsonl,.ndjson,.json,.csv,.parquet" />
      </label>
      <label>
        Format
        <select name="format" defaultValue="">
          <option value="">from the file name</option>
          <option value="jsonl">JSONL</option>
          <option value="csv">CSV</option>
          <option value="parquet">Parquet</option>
        </select>
      </label>
      <label>
        Text field
        <input type="text" name="textField" defaultValue="text" required />
      </label>
      <label>
        Id field (optional)
        <input type="text" name="idField" placeholder="e.g. id" />
      </label>
      <label>
        CSV encoding
        <select name="encoding" defaultValue="auto">
          <option value="auto">detect</option>
          <option value="utf-8">UTF-8</option>
          <option value="gb18030">GB18030 / GBK</option>
        </select>
      </label>
      <label className="wide" style={{ display: "flex", gap: 8, alignItems: "center" }}>
        <input type="checkbox" name="strict" /> Strict: write nothing if any line is rejected
      </label>
      <div className="wide" style={{ display: "flex", gap: 12, alignItems: "center" }}>
        <button type="submit" disabled={busy}>
          Import
        </button>
        <ImportStatus phase={phase} />
      </div>
      {phase.kind === "done" && phase.result.rejections.length > 0 ? (
        <div className="wide">
          <div className="rejections" role="log" aria-label="Rejected lines">
            {phase.result.rejections.map((rejection) => (
              <div key={`${rejection.line}-${rejection.reason}`}>
                line {rejection.line}: {rejection.reason}
              </div>
            ))}
          </div>
        </div>
      ) : null}
      {phase.kind === "done" && (phase.result.warnings?.length ?? 0) > 0 ? (
        <div className="wide">
          <div className="rejections" role="log" aria-label="Lines imported with a warning">
            {phase.result.warnings!.map((warning) => (
              <div key={`${warning.line}-${warning.message}`}>
                line {warning.line} (imported): {warning.message}
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </form>
  );
}

function ImportStatus({ phase }: { phase: Phase }) {
  switch (phase.kind) {
    case "idle":
      return null;
    case "uploading":
      return (
        <span style={{ flex: 1, display: "flex", gap: 8, alignItems: "center" }}>
          <progress value={phase.sent} max={phase.total || 1} aria-label="Upload progress" />
          <span className="muted">{Math.round((100 * phase.sent) / (phase.total || 1))}%</span>
        </span>
      );
    case "processing":
      return <span className="muted">Importing…</span>;
    case "failed":
      return (
        <span className="status-bad" role="alert">
          Import failed: {phase.reason}
        </span>
      );
    case "done":
      return phase.result.committed ? (
        <span className="status-ok" role="status">
          Imported {phase.result.imported}, skipped {phase.result.duplicates} duplicates, rejected {phase.result.rejected}.
        </span>
      ) : (
        <span className="status-bad" role="status">
          Nothing written: {phase.result.rejected} lines rejected in strict mode.
        </span>
      );
  }
}
