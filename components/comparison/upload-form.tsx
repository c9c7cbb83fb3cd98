"use client";

import { useState, type FormEvent } from "react";
import { RoleReason, useRoleRefusal } from "@/components/role-context";
import { formText } from "@/components/form-text";

/** Uploads another dataset's instructions as the request body, so the server streams it. */
export function ComparisonUploadForm({ onImported }: { onImported: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refusal = useRoleRefusal("curator", "Importing a comparison dataset");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return setMessage("Choose a file.");
    const query = new URLSearchParams({
      name: formText(form, "name"),
      fileName: file.name,
      textField: formText(form, "textField"),
    });
    const format = formText(form, "format");
    if (format) query.set("format", format);
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch(`/api/comparisons?${query}`, { method: "POST", body: file });
      const body = (await response.json()) as { imported?: number; rejected?: number; error?: string };
      setMessage(
        response.ok
          ? `Imported ${body.imported ?? 0} instructions (${body.rejected ?? 0} rejected).`
          : `Import failed: ${body.error ?? response.status}`,
      );
      if (response.ok) onImported();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-label="Import a comparison dataset">
      <h3>Import a comparison dataset</h3>
      <label>
        Name <input name="name" required maxLength={200} />
      </label>{" "}
      <label>
        Instruction field <input name="textField" defaultValue="instruction" required />
      </label>{" "}
      <label>
        Format{" "}
        <select name="format" defaultValue="">
          <option value="">from the file name</option>
          <option value="jsonl">JSONL</option>
          <option value="csv">CSV</option>
          <option value="parquet">Parquet</option>
        </select>
      </label>{" "}
      <input type="file" name="file" aria-label="Comparison file" accept=".jsonl,.json,.csv,.parquet" required />{" "}
      <button type="submit" disabled={busy || refusal !== null}>
        {busy ? "Importing…" : "Import"}
      </button>{" "}
      <RoleReason refusal={refusal} />
      {message ? <p role="status">{message}</p> : null}
    </form>
  );
}
