/**
 * The box a person ticks to go on with empty or short splits: the dataset version's Export and the
 * Training page's Start and job bundle wait for it, and the server refuses them without it.
 */
export function ShortSplitAcknowledgement({
  acknowledged,
  onChange,
}: {
  acknowledged: boolean;
  onChange: (acknowledged: boolean) => void;
}) {
  return (
    <label className="acknowledge">
      <input type="checkbox" checked={acknowledged} onChange={(event) => onChange(event.target.checked)} />I understand these splits are
      short or empty
    </label>
  );
}
