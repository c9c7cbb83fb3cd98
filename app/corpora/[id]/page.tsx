import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { database } from "@/lib/db/database";
import { findCorpus, listImports, listRejections, pageSourceTexts } from "@/lib/corpus/corpora";

export const dynamic = "force-dynamic";

const Params = z.object({ id: z.uuid() });
const Search = z.object({ after: z.coerce.number().int().min(0).optional() });

export default async function CorpusPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const parsedParams = Params.safeParse(await params);
  if (!parsedParams.success) notFound();
  const { after } = Search.catch({}).parse(await searchParams);
  const db = await database();
  const corpus = await findCorpus(db, parsedParams.data.id);
  if (!corpus) notFound();
  const [imports, texts] = await Promise.all([listImports(db, corpus.id), pageSourceTexts(db, corpus.id, after ?? null, 50)]);
  const latestWithRejections = imports.find((entry) => entry.rejectedCount > 0);
  const rejections = latestWithRejections ? await listRejections(db, latestWithRejections.id, 200) : [];
  const lastId = texts.at(-1)?.id;
  return (
    <>
      <p className="muted">
        <Link href="/corpora">Corpora</Link> / {corpus.name}
      </p>
      <div className="page-head">
        <h1>{corpus.name}</h1>
        <Link href={`/runs/new?corpus=${encodeURIComponent(corpus.name)}`} data-testid="start-run-on-corpus">
          Start a run on this corpus
        </Link>
      </div>
      <h2>Imports</h2>
      <table className="grid" aria-label="Imports">
        <thead>
          <tr>
            <th>When</th>
            <th>File</th>
            <th>Format</th>
            <th>By</th>
            <th>Status</th>
            <th className="num">Imported</th>
            <th className="num">Duplicates</th>
            <th className="num">Rejected</th>
          </tr>
        </thead>
        <tbody>
          {imports.map((entry) => (
            <tr key={entry.id}>
              <td className="muted">{entry.startedAt.toISOString().replace("T", " ").slice(0, 19)}</td>
              <td>{entry.fileName}</td>
              <td>
                {entry.format}
                {entry.encoding ? ` (${entry.encoding})` : ""}
              </td>
              <td>{entry.createdBy}</td>
              <td className={entry.status === "completed" ? "status-ok" : "status-bad"}>{entry.status}</td>
              <td className="num">{entry.importedCount}</td>
              <td className="num">{entry.duplicateCount}</td>
              <td className="num">{entry.rejectedCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {latestWithRejections ? (
        <>
          <h2>Rejected lines of {latestWithRejections.fileName}</h2>
          <div className="rejections" aria-label="Rejected lines">
            {rejections.map((rejection) => (
              <div key={rejection.id}>
                line {rejection.line}: {rejection.reason}
              </div>
            ))}
            {latestWithRejections.rejectedCount > rejections.length ? (
              <div>… and {latestWithRejections.rejectedCount - rejections.length} more</div>
            ) : null}
          </div>
        </>
      ) : null}
      <h2>Texts</h2>
      <table className="grid" aria-label="Source texts">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>External id</th>
            <th>Text</th>
            <th className="num">Length</th>
            <th>Lang</th>
          </tr>
        </thead>
        <tbody>
          {texts.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                No more texts.
              </td>
            </tr>
          ) : (
            texts.map((text) => (
              <tr key={text.id}>
                <td className="num muted">{text.id}</td>
                <td>{text.externalId ?? "—"}</td>
                <td className="snippet">
                  {text.snippet}
                  {text.length > text.snippet.length ? "…" : ""}
                </td>
                <td className="num">{text.length}</td>
                <td>{text.language}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <div className="pager">
        {after ? <Link href={`/corpora/${corpus.id}`}>First page</Link> : null}
        {texts.length === 50 && lastId !== undefined ? <Link href={`/corpora/${corpus.id}?after=${lastId}`}>Next page →</Link> : null}
      </div>
    </>
  );
}
