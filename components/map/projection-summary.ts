// The projection list as GET /api/projections answers it (the projection worker's API), read
// defensively: a field the page cannot find is shown as missing rather than breaking the map.

export interface ProjectionSummary {
  id: string;
  method: string;
  parameters: Record<string, unknown>;
  /** queued | running | done | failed, or a newer state this page does not know. */
  status: string;
  progress: number;
  phase: string | null;
  pointCount: number | null;
  /** Against the true neighbours among all points (sampled queries). */
  neighbourPreservation: number | null;
  /** An older map's figure, computed among a subsample only. */
  neighbourPreservationAmongSample: number | null;
  departmentPurity: number | null;
  error: string | null;
  createdAt: string;
  space: { embedder: string; kind: string; input: string; dimensions: number } | null;
}

const numberOr = (value: unknown, fallback: number | null) => (typeof value === "number" && Number.isFinite(value) ? value : fallback);
const stringOr = (value: unknown, fallback: string | null) => (typeof value === "string" ? value : fallback);

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function readProjections(body: unknown): ProjectionSummary[] {
  const list = record(body).projections;
  if (!Array.isArray(list)) return [];
  return list.map((raw): ProjectionSummary => {
    const item = record(raw);
    const space = record(item.space);
    return {
      id: String(item.id),
      method: stringOr(item.method, "?")!,
      parameters: record(item.parameters),
      status: stringOr(item.status, "?")!,
      progress: numberOr(item.progress, 0)!,
      phase: stringOr(item.phase, null),
      pointCount: numberOr(item.pointCount, null),
      neighbourPreservation: numberOr(item.neighbourPreservation, null),
      neighbourPreservationAmongSample: numberOr(item.neighbourPreservationAmongSample, null),
      departmentPurity: numberOr(item.departmentPurity, null),
      error: stringOr(item.error, null),
      createdAt: stringOr(item.createdAt, "")!,
      space:
        typeof space.embedder === "string"
          ? {
              embedder: space.embedder,
              kind: stringOr(space.kind, "")!,
              input: stringOr(space.input, "")!,
              dimensions: Number(space.dimensions ?? 0),
            }
          : null,
    };
  });
}

export function describeParameters(parameters: Record<string, unknown>): string {
  return Object.entries(parameters)
    .filter(([, value]) => typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(", ");
}

export function projectionLabel(projection: ProjectionSummary): string {
  const when = projection.createdAt ? projection.createdAt.replace("T", " ").slice(0, 16) : "";
  return `${projection.method.toUpperCase()} · ${projection.space?.embedder ?? "unknown embedder"} · ${projection.status}${when ? ` · ${when}` : ""}`;
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The map's quality as one line: honest preservation (or an old map's, named as such) and department purity. */
export function qualityLine(projection: ProjectionSummary): string {
  const preservation =
    projection.neighbourPreservation !== null
      ? `neighbour preservation ${percent(projection.neighbourPreservation)} (k=15, among all points)`
      : projection.neighbourPreservationAmongSample !== null
        ? `neighbour preservation ${percent(projection.neighbourPreservationAmongSample)} (k=15, among a subsample only: overstated)`
        : "neighbour preservation –";
  const purity =
    projection.departmentPurity === null
      ? "department purity –"
      : `department purity ${percent(projection.departmentPurity)} (k=10, primary)`;
  return `${preservation} · ${purity}`;
}
