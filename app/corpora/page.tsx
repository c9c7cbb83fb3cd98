import Link from "next/link";
import { database } from "@/lib/db/database";
import { listCorpora } from "@/lib/corpus/corpora";
import { ImportForm } from "@/components/import-form";
import { RoleGate } from "@/components/role-context";

export const dynamic = "force-dynamic";

export default async function CorporaPage() {
  const db = await database();
  const corpora = await listCorpora(db);
  return (
    <>
      <h1>Corpora</h1>
      <p className="lead">
        Raw medical texts that synthesis runs turn into instructions. Import JSONL, CSV (UTF-8 or GB18030) or Parquet files; texts already
        in a corpus are skipped and every rejected line is listed with its reason.
      </p>
      <table className="grid" aria-label="Corpora">
        <thead>
          <tr>
            <th>Corpus</th>
            <th className="num">Texts</th>
            <th className="num">Imports</th>
            <th>Last import</th>
          </tr>
        </thead>
        <tbody>
          {corpora.length === 0 ? (
            <tr>
              <td colSpan={4} className="empty">
                No corpus yet. Import a file below, or run <code>npx finemed import FILE --corpus NAME</code>.
              </td>
            </tr>
          ) : (
            corpora.map((corpus) => (
              <tr key={corpus.id}>
                <td>
                  <Link href={`/corpora/${corpus.id}`}>{corpus.name}</Link>
                </td>
                <td className="num">{corpus.texts.toLocaleString("en")}</td>
                <td className="num">{corpus.imports}</td>
                <td className="muted">{corpus.lastImportAt ? corpus.lastImportAt.toISOString().replace("T", " ").slice(0, 16) : "—"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <h2>Import a file</h2>
      <div className="panel">
        <RoleGate needs="curator" what="Importing">
          <ImportForm corpusNames={corpora.map((c) => c.name)} />
        </RoleGate>
      </div>
    </>
  );
}
