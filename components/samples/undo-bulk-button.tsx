"use client";

import { showToast } from "@/components/toasts/toast-store";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { UndoBulkResult } from "@/lib/labels/undo-bulk-operation";
import { sendJson } from "@/components/samples/send-json";

/** Undo for a whole bulk operation; samples changed since it are left alone and counted. */
export function UndoBulkButton({ operationId, label }: { operationId: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function undo() {
    if (!window.confirm(`Undo ${label}? Labels it changed are restored, unless changed again since.`)) return;
    setBusy(true);
    const answer = await sendJson<UndoBulkResult>(`/api/labels/bulk/${operationId}/undo`, "POST");
    setBusy(false);
    if (answer.ok) {
      const { restored, skipped } = answer.value;
      const text = `${restored} restored${skipped > 0 ? `, ${skipped} changed since and left as they are` : ""}`;
      setMessage({ ok: true, text });
      showToast("undone", `Bulk operation undone: ${text}.`);
      router.refresh();
    } else {
      setMessage({ ok: false, text: answer.error });
      showToast("error", `Undo refused: ${answer.error}`);
    }
  }

  return (
    <span className="inline-form">
      <button type="button" className="secondary small-button" onClick={undo} disabled={busy}>
        Undo
      </button>
      {message ? (
        <span className={message.ok ? "status-ok" : "status-bad"} role={message.ok ? "status" : "alert"}>
          {message.text}
        </span>
      ) : null}
    </span>
  );
}
