import Link from "next/link";
import { ZodError } from "zod";
import { database } from "@/lib/db/database";
import { parseSampleQuery, sampleQueryToSearchParams } from "@/lib/samples";
import { currentTaxonomy } from "@/lib/taxonomy";
import { describeIssues } from "@/lib/http/route-errors";
import { FocusMode } from "@/components/focus/focus-mode";
import "@/components/focus/focus.css";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

/** /samples/focus?queue=review, or ?<any samples filter>: focus mode over that queue. */
export default async function FocusPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  const review = raw.queue === "review";
  const filters: SearchParams = { ...raw };
  delete filters.queue;
  // Paging belongs to the queue, not to the link that opened it.
  delete filters.after;
  delete filters.limit;
  let problem: string | null = null;
  let params: URLSearchParams;
  try {
    params = sampleQueryToSearchParams(parseSampleQuery(filters));
    // Filters this build does not know (a map selection) travel on to the queue's API unchanged.
    for (const [key, value] of Object.entries(filters)) if (!params.has(key) && typeof value === "string") params.set(key, value);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    problem = describeIssues(error.issues);
    params = new URLSearchParams();
  }
  const filterText = params.toString();
  const queueParams = new URLSearchParams(params);
  queueParams.set("queue", review ? "review" : "filter");
  const taxonomy = await currentTaxonomy(await database());
  const filterName = filterText === "" ? "all kept samples" : `kept samples matching ${decodeURIComponent(filterText)}`;
  const queueName = review ? "the review queue (likely mislabels)" : filterName;
  const backHref = review ? "/samples/review" : `/samples${filterText ? `?${filterText}` : ""}`;
  return (
    <>
      <p className="muted">
        <Link href="/samples">Samples</Link> / {review ? <Link href="/samples/review">Review queue</Link> : null}
        {review ? " / " : null}Focus mode
      </p>
      <div className="page-head">
        <h1>Focus mode</h1>
        <nav aria-label="Other queues" className="muted small">
          Other queues:{" "}
          {review ? <Link href="/samples/focus">all kept samples</Link> : <Link href="/samples/focus?queue=review">the review queue</Link>}
        </nav>
      </div>
      {problem ? (
        <p className="status-bad" role="alert">
          This link could not be read as given ({problem}); the queue holds all kept samples.
        </p>
      ) : null}
      <FocusMode
        key={queueParams.toString()}
        queueParams={queueParams.toString()}
        queueName={queueName}
        backHref={backHref}
        taxonomy={taxonomy}
      />
    </>
  );
}
