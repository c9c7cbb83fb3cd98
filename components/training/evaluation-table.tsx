import type { EvaluationView } from "@/lib/training";

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(2)}%`);

/** The paper's comparison, side by side: "o1" (the baseline stage) and "o1 + TTT" (the TTT stage). */
export function EvaluationTable({ evaluations }: { evaluations: EvaluationView[] }) {
  const rows = [
    { label: "o1 (no TTT, 3-shot, mean of repeats)", evaluation: evaluations.find((e) => e.mode === "baseline") ?? null },
    { label: "o1 + TTT", evaluation: evaluations.find((e) => e.mode === "ttt") ?? null },
  ];
  return (
    <table className="grid compact" aria-label="Evaluation">
      <thead>
        <tr>
          <th>Model</th>
          <th className="num">Accuracy</th>
          <th className="num">Correct</th>
          <th className="num">Answered</th>
          <th>Repeats</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ label, evaluation }) => (
          <tr key={label} data-testid={`evaluation-${evaluation?.mode ?? label}`}>
            <td>{label}</td>
            <td className="num" data-testid="evaluation-accuracy">
              {percent(evaluation?.accuracy ?? null)}
            </td>
            <td className="num">
              {evaluation?.correct === null || !evaluation ? "—" : `${evaluation.correct} / ${evaluation.withAnswer ?? "?"}`}
            </td>
            <td className="num">{evaluation ? `${evaluation.answered} / ${evaluation.questions ?? "?"}` : "—"}</td>
            <td className="small">{evaluation?.repeatAccuracies?.map(percent).join(", ") ?? "—"}</td>
            <td className="muted">{evaluation ? (evaluation.final ? "done" : "running") : "not run yet"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
