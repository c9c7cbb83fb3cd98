// A hand-drawn SVG line rather than a chart library: recharts is not installed, and a 60-point series
// needs no axes engine.

export function Sparkline({
  values,
  label,
  width = 280,
  height = 48,
  color = "var(--accent)",
}: {
  values: number[];
  label: string;
  width?: number;
  height?: number;
  color?: string;
}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values
    .map((value, index) => `${(index * step).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`)
    .join(" ");
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      style={{ display: "block", background: "#fbfbfc", border: "1px solid var(--line)", borderRadius: 6 }}
    >
      {values.length > 1 ? <polyline points={points} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" /> : null}
      {values.length === 1 ? <circle cx={width / 2} cy={height - 2 - (values[0]! / max) * (height - 4)} r={2.5} fill={color} /> : null}
    </svg>
  );
}
