import type { LabelTarget } from "@/lib/taxonomy/label-target";
import type { Taxonomy } from "@/lib/taxonomy/taxonomy";

const NONE = "";

/** Usable departments only; the secondary list is the chosen primary's secondaries plus None. */
export function DepartmentPicker({
  taxonomy,
  value,
  onChange,
}: {
  taxonomy: Taxonomy;
  value: LabelTarget;
  onChange: (next: LabelTarget) => void;
}) {
  const primaries = taxonomy.tree.filter((primary) => primary.retiredAt === null);
  const current = primaries.find((primary) => primary.name === value.primary);
  const secondaries = (current?.secondaries ?? []).filter((secondary) => secondary.retiredAt === null);
  return (
    <>
      <label>
        Primary department
        <select value={value.primary} onChange={(event) => onChange({ primary: event.target.value, secondary: null })}>
          {current ? null : <option value={value.primary}>choose…</option>}
          {primaries.map((primary) => (
            <option key={primary.id} value={primary.name}>
              {primary.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Secondary department
        <select
          value={value.secondary ?? NONE}
          onChange={(event) => onChange({ primary: value.primary, secondary: event.target.value === NONE ? null : event.target.value })}
        >
          <option value={NONE}>None</option>
          {secondaries.map((secondary) => (
            <option key={secondary.id} value={secondary.name}>
              {secondary.name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
