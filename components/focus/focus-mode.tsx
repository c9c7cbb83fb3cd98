"use client";

import Link from "next/link";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";
import { roleAllows } from "@/lib/auth/roles";
import { commandForKey, keyedTaxonomy, PRESET_REASONS, type FocusCommand } from "@/lib/labels/focus-keys";
import { useRole } from "@/components/role-context";
import { useFocusQueue } from "./use-focus-queue";
import { useNeighbourDepartments } from "./use-neighbour-departments";
import { FocusSample } from "./focus-sample";
import { FocusKeyPanel } from "./focus-key-panel";
import { FocusKeyHelp } from "./focus-key-help";

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT", "BUTTON", "A"].includes(target.tagName);
}

/** Focus mode: one sample of a queue at a time, decided with single keys. */
interface FocusModeProps {
  queueParams: string;
  queueName: string;
  backHref: string;
  taxonomy: Taxonomy;
}

export function FocusMode({ queueParams, queueName, backHref, taxonomy }: FocusModeProps) {
  const role = useRole();
  const mayDecide = roleAllows(role, "curator");
  const keyed = useMemo(() => keyedTaxonomy(taxonomy), [taxonomy]);
  const { state, decide, skip, undo } = useFocusQueue(queueParams);
  const [chosenPrimary, setChosenPrimary] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [helpOpen, setHelpOpen] = useState(false);
  const main = useRef<HTMLDivElement>(null);
  const neighbours = useNeighbourDepartments([state.current, ...state.upcoming].flatMap((entry) => (entry ? [entry.sample.id] : [])));

  const run = (command: FocusCommand) => {
    if (command.kind === "help") return setHelpOpen((open) => !open);
    if (command.kind === "cancel") {
      setHelpOpen(false);
      return setChosenPrimary(null);
    }
    if (command.kind === "cycle-reason") {
      const at = PRESET_REASONS.indexOf(reason as (typeof PRESET_REASONS)[number]);
      return setReason(at === PRESET_REASONS.length - 1 ? "" : PRESET_REASONS[at + 1]!);
    }
    if (command.kind === "skip") {
      setChosenPrimary(null);
      return skip();
    }
    if (!mayDecide) return;
    if (command.kind === "undo") return undo();
    if (command.kind === "choose-primary") return setChosenPrimary(command.primary);
    if (!state.current) return;
    if (command.kind === "confirm") decide({ kind: "confirm" }, reason.trim() || null);
    else decide({ kind: "relabel", to: { primary: command.primary, secondary: command.secondary } }, reason.trim() || null);
    setChosenPrimary(null);
    setReason("");
  };

  // The listener reads the latest render's handler, so a key pressed right after another sees its result.
  const onKey = useRef<(event: KeyboardEvent) => void>(() => undefined);
  useLayoutEffect(() => {
    onKey.current = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) && event.key !== "Escape") return;
      const command = commandForKey(event.key, chosenPrimary, keyed);
      if (!command) return;
      event.preventDefault();
      if (command.kind === "cancel" && isTyping(event.target)) main.current?.focus();
      run(command);
    };
  });
  useLayoutEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    window.addEventListener("keydown", listener);
    main.current?.focus();
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const left = state.total
    ? String(Math.max(state.total.count - state.done - state.skipped, 0)) + (state.total.exact ? "" : " (about)")
    : `${state.buffered}${state.exhausted ? "" : "+"}`;

  return (
    <div className="focus-mode" ref={main} tabIndex={-1} aria-label="Focus mode">
      <div className="focus-bar">
        <p className="focus-counter" data-testid="focus-counter" aria-live="polite">
          <strong data-testid="focus-done">{state.done}</strong> done · <strong data-testid="focus-left">{left}</strong> left
          {state.skipped > 0 ? <> · {state.skipped} skipped</> : null}
        </p>
        <p className="muted small">
          Queue: {queueName} · <Link href={backHref}>leave focus mode</Link> · press <kbd>?</kbd> for the keys
        </p>
      </div>
      {state.notice ? (
        <p
          className={state.notice.tone === "ok" ? "status-ok focus-notice" : "status-bad focus-notice"}
          role={state.notice.tone === "ok" ? "status" : "alert"}
          data-testid="focus-notice"
        >
          {state.notice.text}
        </p>
      ) : null}
      {!mayDecide ? (
        <p className="muted" data-testid="needs-role">
          Deciding on samples needs the curator role; you can read the queue and skip through it.
        </p>
      ) : null}
      {state.current ? (
        <div className="focus-layout">
          <FocusSample item={state.current} neighbours={neighbours.get(state.current.sample.id)} taxonomy={taxonomy} />
          <FocusKeyPanel
            keyed={keyed}
            chosenPrimary={chosenPrimary}
            model={state.current.sample.model}
            reason={reason}
            disabled={!mayDecide}
            onReason={setReason}
            onReasonDone={() => main.current?.focus()}
            onCommand={(command) => {
              run(command);
              main.current?.focus();
            }}
          />
        </div>
      ) : (
        <p className="empty focus-empty" data-testid="focus-empty">
          {state.loading ? "Loading the queue…" : `Nothing left in this queue. ${state.done} decided, ${state.skipped} skipped.`}
        </p>
      )}
      {helpOpen ? <FocusKeyHelp onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
