import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { runSnapshot } from "@/lib/runs/run-detail";
import { RunLive } from "@/components/runs/run-live";
import { RunNextSteps } from "@/components/runs/run-next-steps";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) notFound();
  const snapshot = await runSnapshot(await database(), parsed.data.id);
  if (!snapshot) notFound();
  return (
    <>
      <p className="muted">
        <Link href="/runs">Runs</Link> / {snapshot.summary.name}
      </p>
      <h1>
        {snapshot.summary.name}
        {snapshot.summary.simulated ? (
          <>
            {" "}
            <span className="pill">simulated backend</span>
          </>
        ) : null}
      </h1>
      <RunNextSteps runId={snapshot.summary.runId} kept={snapshot.summary.kept} finished={snapshot.summary.finishedAt !== null} />
      <RunLive initial={snapshot} />
    </>
  );
}
