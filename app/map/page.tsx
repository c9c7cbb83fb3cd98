import { PlannedSection } from "@/components/planned-section";

export default function MapPage() {
  return (
    <PlannedSection title="Map" summary="A UMAP or t-SNE map of the instruction embeddings, as in the paper's Figure 4.">
      <li>A WebGL scatter of every instruction, colored by department, tier or score, with hover, click-through and lasso selection.</li>
      <li>Nearest neighbours of a sample, and the test-time-training retrieval of long-form reasoning samples.</li>
      <li>Mislabel hints where a label disagrees with its neighbours.</li>
    </PlannedSection>
  );
}
