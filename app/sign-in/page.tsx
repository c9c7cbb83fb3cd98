import { redirect } from "next/navigation";
import { database } from "@/lib/db/database";
import { currentActor } from "@/app/page-actor";
import { ensureFirstAdmin, firstAdminHint } from "@/lib/auth/first-admin";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

/** Only a path inside the studio may be the destination after sign-in (no open redirect). */
function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/sign-in") ? value : "/corpora";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentActor()) redirect(next);
  const db = await database();
  // `next dev` or a web server started without `finemed serve`: the first admin is made here instead.
  const created = await ensureFirstAdmin(db);
  if (created?.generatedPassword)
    process.stdout.write(
      `finemed: first admin ${created.email}, one-time password ${created.generatedPassword} (also in ${created.passwordFile})\n`,
    );
  const hint = await firstAdminHint(db);
  return (
    <div style={{ maxWidth: 420 }}>
      <h1>Sign in</h1>
      <p className="lead">FineMed Curation Studio. Every action is checked against your role and recorded in the audit log.</p>
      {hint ? (
        <div className="panel" data-testid="first-admin-hint">
          <strong>First start?</strong> Sign in as <code>{hint.email}</code> with the one-time password that <code>npm start</code> (
          <code>finemed serve</code>) printed on its output. It is also saved in <code>{hint.passwordFile}</code> (readable by its owner
          only). You will be asked to choose a new one.
        </div>
      ) : null}
      <SignInForm next={next} />
    </div>
  );
}
