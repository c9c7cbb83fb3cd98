import type { GeneratedInstruction, SelectionView } from "@/lib/samples/sample-detail";
import { formatScore } from "@/components/samples/sample-format";
import { decisionSentence } from "@/components/samples/algorithm-decision";

const RULES: Record<string, string> = {
  "details-A": "only instruction A mentions specific details, so B was kept",
  "details-B": "only instruction B mentions specific details, so A was kept",
  "both-details": "both instructions mention specific details, so neither was kept",
  sum: "quality + difficulty + relevance differed; the higher sum was kept",
  "quality+difficulty": "the sums tied; quality + difficulty decided",
  quality: "the sums tied; quality alone decided",
  random: "everything tied; a seeded coin flip decided",
};

function Judgement({ instruction }: { instruction: GeneratedInstruction }) {
  const judgement = instruction.judgement;
  if (!judgement) return <p className="muted">Not judged.</p>;
  return (
    <dl className="facts compact">
      <dt>Quality</dt>
      <dd>{formatScore(judgement.quality)}</dd>
      <dt>Difficulty</dt>
      <dd>{formatScore(judgement.difficulty)}</dd>
      <dt>Relevance</dt>
      <dd>{formatScore(judgement.relevance)}</dd>
      <dt>Mentions details</dt>
      <dd>{judgement.mentionsDetails === null ? "–" : judgement.mentionsDetails ? "yes" : "no"}</dd>
      {judgement.valid ? null : (
        <>
          <dt>Invalid</dt>
          <dd className="status-bad">{judgement.failureReason}</dd>
        </>
      )}
    </dl>
  );
}

/** Both instructions generated from the text, their judgements, and Algorithm 1's decision between them. */
export function InstructionsSection({
  instructions,
  selection,
  currentId,
}: {
  instructions: GeneratedInstruction[];
  selection: SelectionView;
  currentId: number;
}) {
  return (
    <section aria-label="Generated instructions">
      <h3>Generated instructions</h3>
      <p className="decision" data-testid="algorithm-decision">
        {decisionSentence(instructions, selection)}
      </p>
      <div className="pair">
        {instructions.map((instruction, index) => (
          <article key={instruction.id} className={`pair-item${instruction.keptByAlgorithm1 ? " kept" : ""}`}>
            <h4>
              Instruction {"AB"[index] ?? index + 1}
              {instruction.id === currentId ? <span className="pill">this sample</span> : null}
              {instruction.keptByAlgorithm1 ? <span className="pill pill-ok">kept by Algorithm 1</span> : null}
            </h4>
            <p>{instruction.text}</p>
            <Judgement instruction={instruction} />
          </article>
        ))}
      </div>
      <dl className="facts compact" aria-label="Algorithm 1 decision">
        <dt>Outcome</dt>
        <dd>{selection.outcome}</dd>
        <dt>Algorithm 1 rule</dt>
        <dd>
          {selection.rule ? (
            <>
              <code>{selection.rule}</code>: {RULES[selection.rule] ?? "see the paper's Algorithm 1"}
            </>
          ) : (
            "no decision (the text stopped before selection)"
          )}
        </dd>
        <dt>Tie-break seed</dt>
        <dd>
          <code>{selection.seed ?? "–"}</code>
        </dd>
        <dt>Draw</dt>
        <dd>
          {selection.draw === null
            ? "– (no coin flip needed)"
            : `${selection.draw} (${selection.draw >>> 31 === 0 ? "top bit 0: A" : "top bit 1: B"})`}
        </dd>
        <dt>Tier</dt>
        <dd>{selection.tier ?? "–"}</dd>
        {selection.failureReason ? (
          <>
            <dt>Failure</dt>
            <dd className="status-bad">
              {selection.failedStage}: {selection.failureReason}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
