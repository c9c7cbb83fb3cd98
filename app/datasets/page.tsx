import { PlannedSection } from "@/components/planned-section";

export default function DatasetsPage() {
  return (
    <PlannedSection title="Datasets" summary="Immutable, approved dataset versions and their FineMed split export.">
      <li>Versions frozen from runs, curated labels and filters, with a content hash, counts per split and department, and a diff between versions.</li>
      <li>Review and approval by an approver; an approved version never changes.</li>
      <li>Export of the SFT stages, o1 SFT, DPO and TTT index with a manifest, a dataset card and trainer configurations.</li>
    </PlannedSection>
  );
}
