"use client";

import { NO_SECONDARY_KEY, PRESET_REASONS } from "@/lib/labels/focus-keys";

const KEYS: [string, string][] = [
  ["A or Enter", "the model is right: keep its label (recorded as a review decision) and go to the next sample"],
  ["1–6", "choose the primary department"],
  ["then 1–9, 0", "choose a secondary within that primary (each is shown with its key)"],
  [NO_SECONDARY_KEY.toUpperCase(), "the chosen primary with no secondary (None)"],
  ["Esc", "drop the chosen primary"],
  ["S", "skip: leave this sample as it is and go to the next"],
  ["Z", "undo the last decision and bring that sample back"],
  ["R", `cycle the reason recorded with the next decision (${PRESET_REASONS.join(", ")}, none)`],
  ["?", "show or hide this list"],
];

export function FocusKeyHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="focus-help" role="dialog" aria-modal="false" aria-label="Focus mode keys">
      <h2>Keys</h2>
      <dl>
        {KEYS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">Keys are ignored while you type in the reason field; Esc or Enter leaves it.</p>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
