"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/components/samples/send-json";

/** One taxonomy request at a time, its outcome as a message, and the page re-read after a success. */
export function useTaxonomyAction() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function run<T>(url: string, method: "POST" | "PATCH", body: unknown, success: (value: T) => string): Promise<boolean> {
    setBusy(true);
    const answer = await sendJson<T>(url, method, body);
    setBusy(false);
    setMessage(answer.ok ? { ok: true, text: success(answer.value) } : { ok: false, text: answer.error });
    if (answer.ok) router.refresh();
    return answer.ok;
  }

  return { busy, message, run };
}
