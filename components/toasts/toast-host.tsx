"use client";

import { useEffect, useSyncExternalStore } from "react";
import {
  dismissToast,
  expireToasts,
  isLasting,
  serverToastSnapshot,
  subscribeToasts,
  toastSnapshot,
  type ToastKind,
} from "@/components/toasts/toast-store";

const KIND_CLASS: Record<ToastKind, string> = { saved: "toast-ok", undone: "toast-ok", conflict: "toast-bad", error: "toast-bad" };

/** The toasts of this tab, bottom right; rendered once in the layout. */
export function ToastHost() {
  const toasts = useSyncExternalStore(subscribeToasts, toastSnapshot, serverToastSnapshot);
  useEffect(() => {
    expireToasts();
    const timer = window.setInterval(() => expireToasts(), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <div className="toasts" aria-label="Notifications" role="region">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${KIND_CLASS[toast.kind]}`} role={isLasting(toast) ? "alert" : "status"} data-testid="toast">
          <span>{toast.text}</span>
          <button type="button" className="toast-close" aria-label="Dismiss notification" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
