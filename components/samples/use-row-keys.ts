"use client";

import { useEffect } from "react";

// Keys typed into a field belong to the field; j/k/Enter only drive the table from elsewhere on the page.
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function isControl(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ["BUTTON", "A", "SUMMARY"].includes(target.tagName);
}

export interface RowKeys {
  count: number;
  focused: number;
  onFocus: (index: number) => void;
  onOpen: (index: number) => void;
  onClose: () => void;
}

/** j/k move the focused row, Enter opens it in the drawer, Escape closes the drawer. */
export function useRowKeys({ count, focused, onFocus, onOpen, onClose }: RowKeys): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "Escape") {
        onClose();
        return;
      }
      if (isTyping(event.target) || count === 0) return;
      if (event.key === "j") {
        event.preventDefault();
        onFocus(Math.min(focused + 1, count - 1));
      } else if (event.key === "k") {
        event.preventDefault();
        onFocus(Math.max(focused - 1, 0));
      } else if (event.key === "Enter" && focused >= 0 && !isControl(event.target)) {
        event.preventDefault();
        onOpen(focused);
      }
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [count, focused, onFocus, onOpen, onClose]);
}
