import { COLUMN_IDS, COLUMN_NAMES } from "@/components/samples/column-names";

/** Column visibility; the hidden list lives in the URL with the rest of the view. */
export function ColumnPicker({ hidden, onChange }: { hidden: string[]; onChange: (hidden: string[]) => void }) {
  return (
    <details className="column-picker">
      <summary>Columns</summary>
      <fieldset>
        <legend>Visible columns</legend>
        {COLUMN_IDS.map((id) => (
          <label key={id} className="check">
            <input
              type="checkbox"
              checked={!hidden.includes(id)}
              onChange={(event) => onChange(event.target.checked ? hidden.filter((h) => h !== id) : [...hidden, id])}
            />
            {COLUMN_NAMES[id]}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
