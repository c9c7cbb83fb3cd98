// Feedback that outlives the component that raised it: toasts are kept in sessionStorage, so a
// remount (a drawer reloading its sample) or a reload of the page does not lose "Relabelled (version 3).".

export type ToastKind = "saved" | "undone" | "conflict" | "error";

export interface Toast {
  id: string;
  kind: ToastKind;
  text: string;
  /** Epoch milliseconds; saved and undone toasts fade after TOAST_LIFETIME_MS, conflicts and errors stay until dismissed. */
  createdAt: number;
}

const STORAGE_KEY = "finemed.toasts";
export const TOAST_LIFETIME_MS = 12_000;
const MAX_TOASTS = 5;
const EMPTY: Toast[] = [];

let toasts: Toast[] | null = null;
const listeners = new Set<() => void>();

function isToast(value: unknown): value is Toast {
  if (typeof value !== "object" || value === null) return false;
  const toast = value as Record<string, unknown>;
  return (
    typeof toast.id === "string" &&
    typeof toast.text === "string" &&
    typeof toast.createdAt === "number" &&
    ["saved", "undone", "conflict", "error"].includes(String(toast.kind))
  );
}

function stored(): Toast[] {
  if (toasts !== null) return toasts;
  try {
    const parsed: unknown = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? "[]");
    toasts = Array.isArray(parsed) ? parsed.filter(isToast) : [];
  } catch {
    toasts = [];
  }
  return toasts;
}

function save(next: Toast[]): void {
  toasts = next;
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Storage full or disabled: the toast still shows until the page goes away.
  }
  for (const listener of listeners) listener();
}

export function isLasting(toast: Toast): boolean {
  return toast.kind === "conflict" || toast.kind === "error";
}

export function showToast(kind: ToastKind, text: string): void {
  if (typeof window === "undefined") return;
  const toast: Toast = { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, kind, text, createdAt: Date.now() };
  save([...stored(), toast].slice(-MAX_TOASTS));
}

export function dismissToast(id: string): void {
  save(stored().filter((toast) => toast.id !== id));
}

/** Drops the fading toasts whose time is up. */
export function expireToasts(now = Date.now()): void {
  const current = stored();
  const kept = current.filter((toast) => isLasting(toast) || now - toast.createdAt < TOAST_LIFETIME_MS);
  if (kept.length !== current.length) save(kept);
}

export function subscribeToasts(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY) return;
    toasts = null;
    listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function toastSnapshot(): Toast[] {
  return stored();
}

export function serverToastSnapshot(): Toast[] {
  return EMPTY;
}
