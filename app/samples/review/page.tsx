import Link from "next/link";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { reviewQueue } from "@/lib/labels";
import { formatDepartment } from "@/components/samples/sample-format";

export const dynamic = "force-dynamic";

const Search = z.object({ after: z.string().min(1).max(200).optional(), low: z.coerce.number().optional() });

export default async function ReviewQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = Search.safeParse(await searchParams);
  const search = parsed.success ? parsed.data : {};
  let page;
  let problem: string | null = null;
  try {
    page = await reviewQueue(await database(), { after: search.after, lowRewardBelow: search.low, limit: 50 });
  } catch (error) {
    // Only a hand-edited cursor can fail here; start the queue over rather than fail the page.
    problem = error instanceof Error ? error.message : String(error);
    page = await reviewQueue(await database(), { limit: 50 });
  }
  const next = page.nextCursor
    ? `/samples/review?after=${encodeURIComponent(page.nextCursor)}${page.lowRewardBelow !== null ? `&low=${page.lowRewardBelow}` : ""}`
    : null;
  return (
    <>
      <p className="muted">
        <Link href="/samples">Samples</Link> / Review queue
      </p>
      <div className="page-head">
        <h1>Review queue</h1>
        <Link href="/samples/focus?queue=review" data-testid="review-focus-link">
          Label these in focus mode
        </Link>
      </div>
      <p className="lead">
        Kept samples whose model label is likely wrong and that no curator has overridden yet, most suspicious first. Open one to relabel
        it, or label them one key at a time in focus mode; a decided sample leaves the queue.
      </p>
      {problem ? (
        <p className="status-bad" role="alert">
          {problem}
        </p>
      ) : null}
      <table className="grid" aria-label="Review queue">
        <thead>
          <tr>
            <th>Instruction</th>
            <th>Model label</th>
            <th>Why</th>
            <th className="num">Classifier confidence</th>
            <th className="num">Score</th>
          </tr>
        </thead>
        <tbody>
          {page.items.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                Nothing to review.
              </td>
            </tr>
          ) : (
            page.items.map((item) => (
              <tr key={item.sample.id}>
                <td className="snippet">
                  <Link href={`/samples?sample=${item.sample.id}`}>{item.sample.instruction}</Link>
                </td>
                <td>
                  {formatDepartment(item.sample.label.primary)} / {formatDepartment(item.sample.label.secondary)}
                </td>
                <td>
                  <ul className="review-reasons">
                    {item.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                </td>
                <td className="num">{item.confidence === null ? "—" : item.confidence.toFixed(2)}</td>
                <td className="num">{item.score}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {next ? (
        <p className="pager">
          <Link href={next}>Next page</Link>
        </p>
      ) : null}
      <p className="muted small">
        Classifier confidence is exp(mean token logprob) of the lower of the primary and secondary answers; below 0.5 it adds to the score.
        It is blank where the server returned no logprobs.
      </p>
    </>
  );
}
