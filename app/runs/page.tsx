import { PlannedSection } from "@/components/planned-section";

export default function RunsPage() {
  return (
    <PlannedSection title="Runs" summary="Synthesis runs of the FineMed pipeline over a corpus, against your vLLM servers.">
      <li>Every run with its status, per-stage progress, throughput, tokens and errors.</li>
      <li>A new-run form: corpus, sample size, one backend per model role (generator, judge, reasoner, classifier, reward, embedder) with a connection test, thresholds and prompt versions.</li>
      <li>Run detail: live progress, latency, backend health, failed items with their raw outputs; pause, resume and cancel.</li>
    </PlannedSection>
  );
}
