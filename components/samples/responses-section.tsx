import type { ResponseView, SampleDetail } from "@/lib/samples/sample-detail";
import { MarkdownText } from "@/components/samples/markdown-text";
import { formatScore } from "@/components/samples/sample-format";

const KIND_NAMES: Record<string, string> = {
  answer1: "Answer 1",
  answer2: "Answer 2",
  reasoning: "Long-form reasoning",
  direct: "Direct answer",
};

/** Long reasoning is folded into the paper's Thought / Summarization sections so the drawer stays readable. */
function ResponseBody({ response }: { response: ResponseView }) {
  if (response.thought === null && response.summarization === null) return <MarkdownText>{response.text}</MarkdownText>;
  return (
    <>
      <details>
        <summary>Thought</summary>
        <MarkdownText>{response.thought ?? ""}</MarkdownText>
      </details>
      <details open>
        <summary>Summarization</summary>
        <MarkdownText>{response.summarization ?? ""}</MarkdownText>
      </details>
    </>
  );
}

function ResponseCard({ response, title }: { response: ResponseView; title?: string }) {
  return (
    <article className={`pair-item${response.chosen ? " kept" : ""}`}>
      <h4>
        {title ?? KIND_NAMES[response.kind] ?? response.kind}
        {response.chosen ? <span className="pill pill-ok">chosen</span> : null}
        {response.rewardScore !== null ? <span className="pill">reward {formatScore(response.rewardScore, 3)}</span> : null}
      </h4>
      <ResponseBody response={response} />
      <p className="muted small">{response.model}</p>
    </article>
  );
}

export function ResponsesSection({ detail }: { detail: SampleDetail }) {
  const { responses, dpoPair } = detail;
  const chosen = dpoPair ? responses.find((r) => r.id === dpoPair.chosenResponseId) : undefined;
  const rejected = dpoPair ? responses.find((r) => r.id === dpoPair.rejectedResponseId) : undefined;
  const paired = new Set([chosen?.id, rejected?.id]);
  const rest = responses.filter((r) => !paired.has(r.id));
  return (
    <section aria-label="Responses">
      <h3>Responses</h3>
      {responses.length === 0 ? <p className="muted">No response: the sample was not kept, or the text failed before answering.</p> : null}
      {chosen && rejected ? (
        <>
          <h4>DPO pair</h4>
          <div className="pair" aria-label="DPO pair">
            <ResponseCard response={chosen} title={`Chosen: ${KIND_NAMES[chosen.kind] ?? chosen.kind}`} />
            <ResponseCard response={rejected} title={`Rejected: ${KIND_NAMES[rejected.kind] ?? rejected.kind}`} />
          </div>
        </>
      ) : null}
      <div className="pair">
        {rest.map((response) => (
          <ResponseCard key={response.id} response={response} />
        ))}
      </div>
    </section>
  );
}
