import { PlannedSection } from "@/components/planned-section";

export default function AnalyticsPage() {
  return (
    <PlannedSection title="Analytics" summary="Score distributions, department shares and the pipeline funnel, aggregated in the database.">
      <li>Histograms and box plots of quality, difficulty and relevance by run, corpus, department and tier.</li>
      <li>The funnel from texts to instructions, kept, common/complex and SFT/DPO rows.</li>
      <li>Dataset comparison as in the paper&apos;s Figure 3: another dataset judged with the same prompt, side by side.</li>
    </PlannedSection>
  );
}
