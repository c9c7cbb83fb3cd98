import { database } from "@/lib/db/database";
import { listRunProgress } from "@/lib/runs/run-list";
import { currentTaxonomy } from "@/lib/taxonomy";
import { MapStudio } from "@/components/map/map-studio";
import "@/components/map/map.css";

export const dynamic = "force-dynamic";

export default async function MapPage() {
  const db = await database();
  const [taxonomy, runs] = await Promise.all([currentTaxonomy(db), listRunProgress(db)]);
  return (
    <>
      <h1>Map</h1>
      <p className="lead">
        A 2-D projection (UMAP or t-SNE) of the instruction embeddings, as in the paper&apos;s Figure 4, under the same filters as the
        samples table. Hover a point to read it, click to open it, lasso a region to open it in the table or relabel it.
      </p>
      <MapStudio taxonomy={taxonomy} runs={runs.map((run) => ({ id: run.runId, name: run.name }))} />
    </>
  );
}
