import Link from "next/link";
import { ZodError } from "zod";
import { database } from "@/lib/db/database";
import { listRunProgress } from "@/lib/runs/run-list";
import { countSamples, InvalidCursorError, pageSamples, parseSampleQuery, type SampleQuery } from "@/lib/samples";
import { currentTaxonomy } from "@/lib/taxonomy";
import { describeIssues } from "@/lib/http/route-errors";
import { SamplesBrowser } from "@/components/samples/samples-browser";

export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

// A hand-edited or stale link should still open the studio: the view falls back to the default and
// says what was wrong with the link.
function readQuery(params: SearchParams): { query: SampleQuery; problem: string | null } {
  try {
    return { query: parseSampleQuery(params), problem: null };
  } catch (error) {
    if (error instanceof ZodError) return { query: parseSampleQuery({}), problem: describeIssues(error.issues) };
    throw error;
  }
}

export default async function SamplesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const read = readQuery(await searchParams);
  let { query, problem } = read;
  const db = await database();
  const [taxonomy, runs, count] = await Promise.all([currentTaxonomy(db), listRunProgress(db), countSamples(db, query.filters)]);
  let page;
  try {
    page = await pageSamples(db, query);
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    problem = `${error.message}; showing the first page`;
    query = { ...query, after: undefined };
    page = await pageSamples(db, query);
  }
  return (
    <>
      <div className="page-head">
        <h1>Samples</h1>
        <Link href="/samples/review">Review queue</Link>
        <Link href="/samples/operations">Bulk operations</Link>
        <Link href="/taxonomy">Taxonomy</Link>
        <Link href="/analytics">Analytics</Link>
      </div>
      <p className="lead samples-lead">
        Every generated instruction with its outcome, departments and scores. The whole view is in the URL: a copied link reopens it.
      </p>
      {problem ? (
        <p className="status-bad" role="alert">
          This link could not be read as given: {problem}
        </p>
      ) : null}
      <SamplesBrowser
        query={query}
        rows={page.rows}
        nextCursor={page.nextCursor}
        count={count}
        taxonomy={taxonomy}
        runs={runs.map((run) => ({ id: run.runId, name: run.name }))}
      />
    </>
  );
}
