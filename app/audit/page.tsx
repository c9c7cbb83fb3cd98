import Link from "next/link";
import { ZodError } from "zod";
import { database } from "@/lib/db/database";
import { requirePageActor } from "@/app/page-actor";
import { auditVocabulary, listAuditEvents, type AuditEvent, type AuditPage } from "@/lib/audit";

export const dynamic = "force-dynamic";

// An event whose change is not known to be done says so beside its action, never reading as done.
function stateNote(event: AuditEvent): string | null {
  if (event.state === "committed") return "committed, result not recorded";
  if (event.state === "pending") return "unconfirmed: not known to have happened";
  if (event.state === "failed") return event.details.committed === true ? "failed after part of it was committed" : "failed";
  return null;
}

type Search = Record<string, string | string[] | undefined>;
const FILTERS = ["actor", "action", "subjectType", "subjectId", "from", "to"] as const;

function one(search: Search, key: string): string | undefined {
  const value = search[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.trim() !== "" ? first : undefined;
}

/** The audit log: newest first, filtered by actor, action, subject and time, in keyset pages. Approvers and admins. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageActor("approver");
  const search = await searchParams;
  const db = await database();
  const query: Partial<Record<(typeof FILTERS)[number] | "before", string>> = Object.fromEntries(
    [...FILTERS, "before"].flatMap((key) => {
      const value = one(search, key);
      return value === undefined ? [] : [[key, value] as const];
    }),
  );
  let page: AuditPage = { events: [], nextBefore: null };
  let problem: string | null = null;
  try {
    page = await listAuditEvents(db, query);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    problem = error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
  }
  const vocabulary = await auditVocabulary(db);
  const next = new URLSearchParams(
    Object.entries({ ...query, before: page.nextBefore ?? "" }).filter((entry): entry is [string, string] => entry[1] !== ""),
  );
  return (
    <>
      <h1>Audit log</h1>
      <p className="lead">
        Every state change in the studio — imports, runs and their controls, relabels, taxonomy edits, dataset reviews, exports, training,
        users and tokens — with who made it, from the browser, a token or the CLI.
      </p>
      <form className="filters panel" method="get" aria-label="Audit filters">
        <label>
          Actor
          <input type="text" name="actor" list="audit-actors" defaultValue={query.actor} />
        </label>
        <label>
          Action (exact, or a prefix ending in *)
          <input type="text" name="action" list="audit-actions" defaultValue={query.action} />
        </label>
        <label>
          Subject type
          <select name="subjectType" defaultValue={query.subjectType ?? ""}>
            <option value="">any</option>
            {vocabulary.subjectTypes.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </label>
        <label>
          Subject id
          <input type="text" name="subjectId" defaultValue={query.subjectId} />
        </label>
        <label>
          From
          <input type="text" name="from" placeholder="2026-11-22" defaultValue={query.from} />
        </label>
        <label>
          To
          <input type="text" name="to" placeholder="2026-11-23T12:00Z" defaultValue={query.to} />
        </label>
        <datalist id="audit-actors">
          {vocabulary.actors.map((actor) => (
            <option key={actor} value={actor} />
          ))}
        </datalist>
        <datalist id="audit-actions">
          {vocabulary.actions.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <div className="filters-actions">
          <button type="submit">Filter</button>
          <Link href="/audit">Clear</Link>
        </div>
      </form>
      {problem ? <p className="status-bad">{problem}</p> : null}
      <table className="grid" data-testid="audit-events">
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Subject</th>
            <th>Via</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {page.events.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                No events match.
              </td>
            </tr>
          ) : (
            page.events.map((event) => (
              <tr key={event.id} data-testid="audit-event">
                <td className="small">{event.at.replace("T", " ").replace("Z", "")}</td>
                <td>
                  {event.actor}
                  {event.actorRole ? <span className="muted small"> ({event.actorRole})</span> : null}
                </td>
                <td>
                  <code>{event.action}</code>
                  {stateNote(event) ? (
                    <span className="muted small" data-testid="audit-event-state">
                      {" "}
                      ({stateNote(event)})
                    </span>
                  ) : null}
                </td>
                <td className="small">
                  {event.subjectType ?? ""} {event.subjectId ? <code>{event.subjectId}</code> : null}
                </td>
                <td className="small">{event.via}</td>
                <td className="small snippet">
                  <code>{JSON.stringify(event.details).slice(0, 400)}</code>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <div className="pager">
        {query.before ? <Link href="/audit">Newest</Link> : null}
        {page.nextBefore ? <Link href={`/audit?${next.toString()}`}>Older →</Link> : null}
      </div>
    </>
  );
}
