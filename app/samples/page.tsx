import { PlannedSection } from "@/components/planned-section";

export default function SamplesPage() {
  return (
    <PlannedSection title="Samples" summary="The instruction/response pairs a run produced, with their judgements and departments.">
      <li>A server-side table of instructions with quality, difficulty, relevance, tier, kept or filter reason, departments and reward score; filters, sort and full-text search, all kept in the URL.</li>
      <li>A drawer with the source text, both generated instructions and why Algorithm 1 kept one, the responses, the DPO pair and the full lineage.</li>
      <li>Department relabeling for one sample, a selection or a whole filter, audited and reversible.</li>
    </PlannedSection>
  );
}
