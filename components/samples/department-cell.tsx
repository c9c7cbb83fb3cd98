import type { DepartmentLabel, SampleRow } from "@/lib/samples/sample-row";

function nameAt(label: DepartmentLabel, level: "primary" | "secondary"): string {
  if (label.primary === null) return "–";
  return level === "primary" ? label.primary : (label.secondary ?? "None");
}

/** The label in force; a curator's override is shown as such, with the model's answer beside it. */
export function DepartmentCell({ sample, level }: { sample: SampleRow; level: "primary" | "secondary" }) {
  const model = nameAt(sample.model, level);
  if (sample.curated === null) return <span>{model}</span>;
  const curated = nameAt(sample.curated, level);
  return (
    <span>
      <span className="curated-label" title="curated by a curator">
        {curated}
      </span>
      {curated !== model ? <span className="model-label"> model: {model}</span> : null}
    </span>
  );
}
