import type { Throughput } from "@/lib/runs/run-detail";
import { Sparkline } from "./sparkline";

/** Texts finished and backend calls made per bucket over the run's last minutes of activity. */
export function ThroughputPanel({ throughput }: { throughput: Throughput }) {
  const { points, bucketSeconds } = throughput;
  if (points.length === 0) return <p className="muted">No activity yet: the run starts when a worker takes its first batch.</p>;
  const texts = points.map((point) => point.texts);
  const calls = points.map((point) => point.calls);
  const seconds = points.length * bucketSeconds;
  const totalTexts = texts.reduce((sum, value) => sum + value, 0);
  const totalCalls = calls.reduce((sum, value) => sum + value, 0);
  const last = points.at(-1)!;
  // One window is a dot, not a trend: say what happened in it instead of drawing an empty chart.
  if (points.length === 1) {
    return (
      <p className="muted" data-testid="throughput-single-window">
        All of the run&apos;s activity so far fell in one {bucketSeconds} s window: {totalTexts} texts finished, {totalCalls} backend calls
        made.
      </p>
    );
  }
  const span = seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  return (
    <div style={{ display: "flex", gap: 32, flexWrap: "wrap" }}>
      <div>
        <div className="muted" style={{ fontSize: 13, marginBottom: 4 }}>
          Texts finished per {bucketSeconds} s (last {span}: {(totalTexts / seconds).toFixed(2)}/s; latest {last.texts})
        </div>
        <Sparkline values={texts} label={`Texts finished per ${bucketSeconds} seconds`} />
      </div>
      <div>
        <div className="muted" style={{ fontSize: 13, marginBottom: 4 }}>
          Backend calls made per {bucketSeconds} s ({(totalCalls / seconds).toFixed(2)}/s; latest {last.calls})
        </div>
        <Sparkline values={calls} label={`Backend calls made per ${bucketSeconds} seconds`} color="#6b4fbb" />
      </div>
    </div>
  );
}
