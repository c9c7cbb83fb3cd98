/** The outcome of the last taxonomy action, announced to assistive technology. */
export function ActionMessage({ message }: { message: { ok: boolean; text: string } | null }) {
  if (!message) return null;
  return (
    <span className={message.ok ? "status-ok" : "status-bad"} role={message.ok ? "status" : "alert"}>
      {message.text}
    </span>
  );
}
