import type { ShortSplit } from "@/lib/export";
import { formatCount } from "@/components/runs/run-status";

/**
 * The splits the studio's export would write (or wrote) empty or short, each in a curator's words. Shown
 * before approval (beside Approve), on the export form and beside the Training page's Start, where going
 * on anyway needs the box ticked.
 */
export function ShortSplitWarnings({ splits, when }: { splits: readonly ShortSplit[]; when: "approval" | "export" | "training" }) {
  if (splits.length === 0) return null;
  const empty = splits.filter((s) => s.kind === "empty").length;
  return (
    <section className="short-splits" aria-label="Short splits" data-testid="short-splits">
      <strong>
        {empty > 0 ? `${empty} split${empty === 1 ? "" : "s"} would be empty` : "Some splits would be short"}
        {empty > 0 && splits.length > empty ? `, ${splits.length - empty} short` : ""}
      </strong>{" "}
      <span className="muted">
        (with the studio&apos;s export options: the paper&apos;s sizes, each capped by what this version holds)
        {when === "approval" ? ". Approving does not fix them: an approved version never changes." : null}
        {when === "training"
          ? ". A stage on an empty split fails on the cluster; a short one trains on fewer rows than the paper's."
          : null}
        {when === "export" ? "." : null}
      </span>
      <ul>
        {splits.map((s) => (
          <li key={s.split} data-testid={`short-split-${s.split}`}>
            <span className={s.kind === "empty" ? "status-bad" : "status-warn"}>{s.kind === "empty" ? "Empty" : "Short"}</span> {s.reason}.{" "}
            {/* A "fewer than asked" reason already says both numbers; the others name the split and its ask here. */}
            {s.reason.includes(" asked") ? null : (
              <span className="muted">
                {s.title}: {formatCount(s.rows)} rows{s.asked === null ? "" : ` of ${formatCount(s.asked)} asked`},{" "}
                {formatCount(s.available)} available
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
