import { COLUMN_IDS, COLUMN_NAMES, COLUMN_PRESETS, type PresetId } from "@/components/samples/column-names";

export interface ColumnChoice {
  preset: PresetId | null;
  hidden: string[];
}

/** Column presets and hand-picked visibility; both live in the URL with the rest of the view. */
export function ColumnPicker({ preset, hidden, onChange }: ColumnChoice & { onChange: (next: ColumnChoice) => void }) {
  return (
    <div className="column-controls">
      <div className="presets" role="group" aria-label="Column preset">
        {(Object.keys(COLUMN_PRESETS) as PresetId[]).map((id) => (
          <button
            key={id}
            type="button"
            className="preset-button"
            aria-pressed={preset === id}
            onClick={() =>
              onChange({
                preset: id,
                hidden: COLUMN_IDS.filter((column) => !(COLUMN_PRESETS[id].columns as readonly string[]).includes(column)),
              })
            }
          >
            {COLUMN_PRESETS[id].name}
          </button>
        ))}
      </div>
      <details className="column-picker">
        <summary>Columns</summary>
        <fieldset>
          <legend>Visible columns</legend>
          {COLUMN_IDS.map((id) => (
            <label key={id} className="check">
              <input
                type="checkbox"
                checked={!hidden.includes(id)}
                onChange={(event) =>
                  onChange({ preset: null, hidden: event.target.checked ? hidden.filter((h) => h !== id) : [...hidden, id] })
                }
              />
              {COLUMN_NAMES[id]}
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}
