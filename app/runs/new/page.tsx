import Link from "next/link";
import { database } from "@/lib/db/database";
import { listCorpora } from "@/lib/corpus/corpora";
import { listPrompts } from "@/lib/runs/prompt-store";
import { NewRunForm } from "@/components/runs/new-run-form";
import type { PromptKeyVersions } from "@/components/runs/prompt-version-fields";
import { inPipelineOrder } from "@/components/prompts/prompt-order";

export const dynamic = "force-dynamic";

// Where `finemed serve` starts the demo's simulated backend (lib/demo/demo-run.ts). Importing that module
// here would pull the demo seeding's filesystem access into the web server's trace.
const DEMO_BACKEND = { baseUrl: `http://127.0.0.1:${process.env.FINEMED_DEMO_BACKEND_PORT ?? 8790}`, model: "simulated/finemed-sim" };

export default async function NewRunPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { corpus } = await searchParams;
  const db = await database();
  const [corpora, prompts] = await Promise.all([listCorpora(db), listPrompts(db)]);
  const promptKeys: PromptKeyVersions[] = inPipelineOrder(new Set(prompts.map((prompt) => prompt.key))).map((key) => ({
    key,
    versions: prompts.filter((prompt) => prompt.key === key).map((prompt) => prompt.version),
  }));
  return (
    <>
      <p className="muted">
        <Link href="/runs">Runs</Link> / new
      </p>
      <h1>New run</h1>
      <p className="lead">
        Each model role talks to an OpenAI-compatible server (vLLM, SGLang). The fields start on the studio&apos;s simulated backend, which
        is never a real model; point them at your own servers for real data. API keys stay in the workers&apos; environment: give the
        variable&apos;s name.
      </p>
      {corpora.length === 0 ? (
        <p className="status-bad">
          No corpus yet: <Link href="/corpora">import one</Link> first.
        </p>
      ) : null}
      <div className="panel">
        <NewRunForm
          corpora={corpora.map((corpus) => ({ name: corpus.name, texts: corpus.texts }))}
          promptKeys={promptKeys}
          defaults={{ ...DEMO_BACKEND, apiKeyEnv: "", maxInFlight: "16", timeoutMs: "120000" }}
          initialCorpus={typeof corpus === "string" ? corpus : null}
        />
      </div>
    </>
  );
}
