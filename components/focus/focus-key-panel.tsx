"use client";

import { NO_SECONDARY_KEY, PRESET_REASONS, type FocusCommand, type KeyedPrimary } from "@/lib/labels/focus-keys";

interface Props {
  keyed: KeyedPrimary[];
  chosenPrimary: string | null;
  model: { primary: string | null; secondary: string | null };
  reason: string;
  disabled: boolean;
  onReason: (reason: string) => void;
  onReasonDone: () => void;
  onCommand: (command: FocusCommand) => void;
}

/** The keys on screen: every choice is also a button, so the mouse works too. */
export function FocusKeyPanel({ keyed, chosenPrimary, model, reason, disabled, onReason, onReasonDone, onCommand }: Props) {
  const primary = keyed.find((entry) => entry.name === chosenPrimary) ?? null;
  const reasonFor = disabled ? "Deciding needs the curator role" : undefined;
  return (
    <aside className="focus-keys" aria-label="Decision keys">
      <div className="focus-actions">
        <button type="button" disabled={disabled} title={reasonFor} onClick={() => onCommand({ kind: "confirm" })}>
          <kbd>A</kbd> The model is right ({model.primary ?? "—"} / {model.secondary ?? "None"})
        </button>
        <button type="button" onClick={() => onCommand({ kind: "skip" })}>
          <kbd>S</kbd> Skip
        </button>
        <button type="button" disabled={disabled} title={reasonFor} onClick={() => onCommand({ kind: "undo" })}>
          <kbd>Z</kbd> Undo last
        </button>
      </div>
      {primary === null ? (
        <fieldset className="focus-departments" aria-label="Primary department">
          <legend>Relabel: primary</legend>
          {keyed.map((entry) => (
            <button
              key={entry.name}
              type="button"
              disabled={disabled}
              title={reasonFor}
              onClick={() => onCommand({ kind: "choose-primary", primary: entry.name })}
            >
              <kbd>{entry.key}</kbd> {entry.name}
            </button>
          ))}
        </fieldset>
      ) : (
        <fieldset className="focus-departments" aria-label={`Secondary department under ${primary.name}`}>
          <legend>
            {primary.name}: secondary <span className="muted small">(Esc: another primary)</span>
          </legend>
          {primary.secondaries.map((entry) => (
            <button
              key={entry.name}
              type="button"
              disabled={disabled}
              onClick={() => onCommand({ kind: "relabel", primary: primary.name, secondary: entry.name })}
            >
              <kbd>{entry.key}</kbd> {entry.name}
            </button>
          ))}
          <button type="button" disabled={disabled} onClick={() => onCommand({ kind: "relabel", primary: primary.name, secondary: null })}>
            <kbd>{NO_SECONDARY_KEY.toUpperCase()}</kbd> None (no secondary)
          </button>
        </fieldset>
      )}
      <div className="focus-reason">
        <label>
          Reason{" "}
          <span className="muted small">
            (optional; <kbd>R</kbd> cycles the presets)
          </span>
          <input
            type="text"
            value={reason}
            maxLength={2000}
            placeholder="recorded with the next decision"
            data-testid="focus-reason"
            onChange={(event) => onReason(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" || event.key === "Escape") {
                event.preventDefault();
                event.stopPropagation();
                onReasonDone();
              }
            }}
          />
        </label>
        <div className="focus-presets">
          {PRESET_REASONS.map((preset) => (
            <button
              key={preset}
              type="button"
              aria-pressed={reason === preset}
              onClick={() => {
                onReason(reason === preset ? "" : preset);
                onReasonDone();
              }}
            >
              {preset}
            </button>
          ))}
        </div>
      </div>
    </aside>
  );
}
