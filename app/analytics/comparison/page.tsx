import Link from "next/link";
import { database } from "@/lib/db/database";
import { listComparisonDatasets } from "@/lib/comparison";
import { listRunProgress } from "@/lib/runs/run-list";
import { ComparisonStudio } from "@/components/comparison/comparison-studio";

export const dynamic = "force-dynamic";

/** The paper's Figure 3: other datasets' judge scores beside FineMed's, judged with the same prompt and judge. */
export default async function ComparisonPage() {
  const db = await database();
  const [datasets, runs] = await Promise.all([listComparisonDatasets(db), listRunProgress(db)]);
  return (
    <>
      <div className="page-head">
        <h1>Dataset comparison</h1>
        <Link href="/analytics">Analytics</Link>
      </div>
      <p className="lead">
        Import another dataset&apos;s instructions, judge a seeded random sample with the same Table 5 prompt and judge, and compare its
        score distributions with FineMed&apos;s. Every count, mean and median is aggregated in the database.
      </p>
      <ComparisonStudio initial={datasets} runs={runs.map((run) => ({ runId: run.runId, name: `${run.name} (${run.corpus})` }))} />
    </>
  );
}
