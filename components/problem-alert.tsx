/** The one way a form or control reports a refused or failed action: announced to screen readers. */
export function ProblemAlert({ problem }: { problem: string | null | undefined }) {
  if (!problem) return null;
  return (
    <span className="status-bad" role="alert">
      {problem}
    </span>
  );
}
