import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { DatasetVersionNotFound, getVersion } from "@/lib/datasets";
import { ClusterError, getChain, pollChain, TrainingChainNotFound } from "@/lib/training";
import { ChainJobs } from "@/components/training/chain-jobs";
import { formatTime } from "@/components/training/chain-format";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });

export default async function TrainingChainPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) notFound();
  const db = await database();
  const chain = await pollChain(db, parsed.data.id).catch((error: unknown) => {
    if (error instanceof TrainingChainNotFound) return null;
    if (error instanceof ClusterError) return getChain(db, parsed.data.id);
    throw error;
  });
  if (!chain) notFound();
  const version = await getVersion(db, chain.versionId).catch((error: unknown) => {
    if (error instanceof DatasetVersionNotFound) return null;
    throw error;
  });
  const approval = version?.events.find((event) => event.toState === "approved") ?? null;
  return (
    <>
      <p className="muted">
        <Link href="/training">Training</Link> / chain {chain.id.slice(0, 8)}
      </p>
      <h1>Training chain {chain.id.slice(0, 8)}</h1>
      <div className="panel">
        <dl className="facts">
          <dt>Dataset version</dt>
          <dd>
            <Link href={`/datasets/${chain.versionId}`} data-testid="chain-version-link">
              {version?.name ?? chain.versionId}
            </Link>{" "}
            <code className="muted small">{chain.versionId}</code>
          </dd>
          <dt>Approval</dt>
          <dd data-testid="chain-approval">
            {approval ? `approved by ${approval.actor} · ${formatTime(approval.at)}` : "no approval recorded"}
          </dd>
          <dt>Export</dt>
          <dd>
            <code>{chain.exportDir}</code> <span className="muted small">manifest sha256 {chain.manifestSha256.slice(0, 12)}</span>
          </dd>
          <dt>Profile</dt>
          <dd>{chain.profileName}</dd>
        </dl>
      </div>
      <ChainJobs initial={chain} />
    </>
  );
}
