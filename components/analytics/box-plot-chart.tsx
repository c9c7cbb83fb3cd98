import type { QuartileSeries, ScoreQuartiles } from "@/lib/samples/score-quartiles";
import { seriesColor } from "@/components/analytics/chart-colors";

// A plain SVG rather than Recharts: Recharts has no box-plot primitive, and faking one with stacked
// bars and custom shapes costs more code than drawing five lines, and this way it renders on the server.

// Drawn at its pixel size (never scaled by a viewBox), so the 12 px labels stay 12 px on screen.
const ROW = 30;
const LABEL = 190;
const WIDTH = 500;
const RIGHT = 16;
const AXIS = 22;

function fixed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function label(series: QuartileSeries, groupNames: Record<string, string>): string {
  return series.group === null ? "(none)" : (groupNames[series.group] ?? series.group);
}

function shorten(text: string): string {
  return text.length > 28 ? `${text.slice(0, 27)}…` : text;
}

/** Whole-number ticks over the scores' range; a fifth of the range apart once it is wider than ten. */
function ticks(lo: number, hi: number): number[] {
  const step = hi - lo > 10 ? Math.ceil((hi - lo) / 5) : 1;
  const out: number[] = [];
  for (let tick = lo; tick <= hi; tick += step) out.push(tick);
  return out;
}

/**
 * One score's five-number summary per group, one horizontal box a row: whiskers at min and max,
 * the box from q1 to q3, a bar at the median and a dot at the mean. The numbers come from SQL.
 */
export function BoxPlotChart({
  quartiles,
  title,
  groupNames,
}: {
  quartiles: ScoreQuartiles;
  title: string;
  groupNames: Record<string, string>;
}) {
  const { series } = quartiles;
  const lo = Math.floor(Math.min(...series.map((s) => s.min)));
  const hi = Math.max(lo + 1, Math.ceil(Math.max(...series.map((s) => s.max))));
  const x = (value: number) => LABEL + ((value - lo) / (hi - lo)) * (WIDTH - LABEL - RIGHT);
  const height = series.length * ROW + AXIS;
  return (
    <section className="panel chart-panel" aria-label={`${title} box plot`}>
      <h3>{title}</h3>
      {series.length === 0 ? (
        <p className="empty">No scored samples yet.</p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          width={WIDTH}
          height={height}
          className="box-plot"
          role="img"
          aria-label={`${title} by group: ${series.map((s) => label(s, groupNames)).join(", ")}`}
        >
          {ticks(lo, hi).map((tick) => (
            <g key={tick}>
              <line x1={x(tick)} x2={x(tick)} y1={0} y2={height - AXIS} stroke="#e2e8f0" />
              <text x={x(tick)} y={height - 6} fontSize={12} textAnchor="middle" fill="#475569">
                {tick}
              </text>
            </g>
          ))}
          {series.map((s, index) => {
            const mid = index * ROW + ROW / 2;
            const color = seriesColor(index);
            const name = label(s, groupNames);
            return (
              <g key={s.group ?? "none"} data-testid="box-plot-group">
                <title>{`${name}: n=${s.n.toLocaleString("en")}, min ${fixed(s.min)}, q1 ${fixed(s.q1)}, median ${fixed(s.median)}, q3 ${fixed(s.q3)}, max ${fixed(s.max)}, mean ${s.mean.toFixed(2)}`}</title>
                <text x={LABEL - 8} y={mid + 4} fontSize={12} textAnchor="end" fill="#1b2330">
                  {shorten(name)}
                </text>
                <line x1={x(s.min)} x2={x(s.max)} y1={mid} y2={mid} stroke={color} />
                <line x1={x(s.min)} x2={x(s.min)} y1={mid - 6} y2={mid + 6} stroke={color} />
                <line x1={x(s.max)} x2={x(s.max)} y1={mid - 6} y2={mid + 6} stroke={color} />
                <rect
                  x={x(s.q1)}
                  y={mid - 9}
                  width={Math.max(1, x(s.q3) - x(s.q1))}
                  height={18}
                  fill={color}
                  fillOpacity={0.2}
                  stroke={color}
                />
                <line x1={x(s.median)} x2={x(s.median)} y1={mid - 9} y2={mid + 9} stroke={color} strokeWidth={2.5} />
                <circle cx={x(s.mean)} cy={mid} r={3} fill="#fff" stroke={color} />
              </g>
            );
          })}
        </svg>
      )}
      {quartiles.groups > series.length ? (
        <p className="muted small">
          The {series.length} largest of {quartiles.groups.toLocaleString("en")} groups.
        </p>
      ) : null}
    </section>
  );
}
