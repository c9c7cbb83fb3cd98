import { PlannedSection } from "@/components/planned-section";

export default function TrainingPage() {
  return (
    <PlannedSection title="Training" summary="The paper's training chain started on a cluster from an approved dataset version.">
      <li>SFT stage 1 → 2 → 3 → o1 SFT → DPO, then a test-time-training evaluation, submitted to Slurm with dependencies (Kubernetes manifests for clusters without Slurm).</li>
      <li>Each job&apos;s state, timing and logs, linked to the exact dataset version and its approval.</li>
    </PlannedSection>
  );
}
