import type { VersionCounts } from "@/lib/datasets";
import { formatCount } from "@/components/runs/run-status";

const POOLS: { key: keyof VersionCounts["pools"]; label: string }[] = [
  { key: "sft", label: "SFT stage 1 (common)" },
  { key: "internalMedicine", label: "SFT stage 2 (Internal Medicine)" },
  { key: "endocrinology", label: "SFT stage 3 (Endocrinology)" },
  { key: "longForm", label: "o1 SFT / TTT (long-form, complex)" },
  { key: "dpo", label: "DPO (complex with a pair)" },
];

/** The pools each export split draws from; the export caps every split at its pool. */
export function SplitCounts({ counts }: { counts: VersionCounts }) {
  return (
    <table className="grid compact" aria-label="Counts per split">
      <thead>
        <tr>
          <th>Split pool</th>
          <th className="num">Members</th>
        </tr>
      </thead>
      <tbody>
        {POOLS.map((pool) => (
          <tr key={pool.key}>
            <td>{pool.label}</td>
            <td className="num">{formatCount(counts.pools[pool.key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DepartmentCounts({ counts }: { counts: VersionCounts }) {
  return (
    <table className="grid compact" aria-label="Counts per department">
      <thead>
        <tr>
          <th>Primary</th>
          <th>Secondary</th>
          <th className="num">Common</th>
          <th className="num">Complex</th>
        </tr>
      </thead>
      <tbody>
        {counts.departments.length === 0 ? (
          <tr>
            <td colSpan={4} className="empty">
              No members.
            </td>
          </tr>
        ) : (
          counts.departments.map((d) => (
            <tr key={`${d.primary ?? ""}|${d.secondary ?? ""}`}>
              <td>{d.primary ?? <span className="muted">unlabelled</span>}</td>
              <td>{d.secondary ?? <span className="muted">None</span>}</td>
              <td className="num">{formatCount(d.common)}</td>
              <td className="num">{formatCount(d.complex)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
