// Lasso selections of any size (issue 11): a generated run (samples written set-based in SQL, see
// bench/curation-data.ts) gets a projection with a point per sample; a many-cornered lasso covering
// ≥ 100,000 of them is selected and stored by createMapSelection (the route's whole server work:
// validation, filters, point-in-polygon, storing the ids), beside the bare SQL point-in-polygon count
// over the same points. Then the stored selection is used as a /samples filter (count) and for a bulk
// relabel preview. Goal: the selection < 1 s. Writes bench/out/map-selection.json.
import pg from "pg";
import { connectDatabase, type Database } from "../lib/db/database";
import { createMapSelection } from "../lib/map-selections";
import { countSamples } from "../lib/samples";
import { previewBulkRelabel } from "../lib/labels";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";
import { generateMapProjection } from "./map-payload-data";

const TEXTS = Number(process.env.BENCH_MAP_SELECTION_TEXTS ?? 75_000);
const WANTED = Number(process.env.BENCH_MAP_SELECTION_POINTS ?? 100_000);
const CORNERS = 400;
const REPEATS = 5;
const GOAL_MS = 1_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A wobbly closed lasso (CORNERS corners) around the centre, `scale` of the way to the bounding box. */
function lasso(box: { minX: number; maxX: number; minY: number; maxY: number }, scale: number): [number, number][] {
  const cx = (box.minX + box.maxX) / 2;
  const cy = (box.minY + box.maxY) / 2;
  const rx = ((box.maxX - box.minX) / 2) * scale;
  const ry = ((box.maxY - box.minY) / 2) * scale;
  return Array.from({ length: CORNERS }, (_, n) => {
    const angle = (2 * Math.PI * n) / CORNERS;
    const wobble = 1 + 0.06 * Math.sin(angle * 7);
    return [cx + rx * wobble * Math.cos(angle), cy + ry * wobble * Math.sin(angle)];
  });
}

const polygonText = (polygon: [number, number][]) => `(${polygon.map(([x, y]) => `(${x},${y})`).join(",")})`;

const created = await createBenchDatabase();
const client = new pg.Client({ connectionString: created.url });
let db: Database | null = null;
try {
  db = await connectDatabase({ url: created.url });
  await client.connect();
  console.log(`map selection bench: ${(TEXTS * 2).toLocaleString()} samples on ${describeServer(created.url)}`);
  let started = performance.now();
  const projectionId = await generateMapProjection(client, db, TEXTS);
  console.log(`  generated run, samples and projection in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const points = await client.query<{ count: number; minX: number; maxX: number; minY: number; maxY: number }>(
    `SELECT count(*)::int AS count, min(x) AS "minX", max(x) AS "maxX", min(y) AS "minY", max(y) AS "maxY" FROM projection_points WHERE projection_id = $1`,
    [projectionId],
  );
  const box = points.rows[0]!;

  // The bare baseline: PostgreSQL's point-in-polygon over the projection's points, nothing else.
  const baseline = async (polygon: [number, number][]) => {
    const t = performance.now();
    const result = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM projection_points p WHERE p.projection_id = $1 AND point(p.x, p.y) <@ $2::polygon`,
      [projectionId, polygonText(polygon)],
    );
    return { count: result.rows[0]!.count, ms: performance.now() - t };
  };
  // The lasso's size: the smallest scale whose lasso holds WANTED points (bisection on the baseline).
  let low = 0.1;
  let high = 1.2;
  for (let step = 0; step < 12; step++) {
    const middle = (low + high) / 2;
    if ((await baseline(lasso(box, middle))).count >= WANTED) high = middle;
    else low = middle;
  }
  const polygon = lasso(box, high);

  const baselineMs: number[] = [];
  const selectionMs: number[] = [];
  let selected = { id: "", count: 0 };
  let baselineCount = 0;
  await baseline(polygon);
  await createMapSelection(db, { projection: projectionId, polygon }, "bench");
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const bare = await baseline(polygon);
    baselineMs.push(bare.ms);
    baselineCount = bare.count;
    started = performance.now();
    selected = await createMapSelection(db, { projection: projectionId, polygon }, "bench");
    selectionMs.push(performance.now() - started);
  }
  started = performance.now();
  const counted = await countSamples(db, { selection: selected.id }, 1_000_000);
  const countMs = performance.now() - started;
  started = performance.now();
  const preview = await previewBulkRelabel(db, { filter: { selection: selected.id } }, { primary: "Surgery", secondary: "Urology" });
  const previewMs = performance.now() - started;

  const rows = [
    [
      "bare SQL: count(point <@ polygon)",
      baselineCount.toLocaleString("en"),
      `${median(baselineMs).toFixed(0)} / ${Math.max(...baselineMs).toFixed(0)}`,
    ],
    [
      "createMapSelection (validate, filters, select, store ids)",
      selected.count.toLocaleString("en"),
      `${median(selectionMs).toFixed(0)} / ${Math.max(...selectionMs).toFixed(0)}`,
    ],
    ["countSamples({ selection })", counted.count.toLocaleString("en"), countMs.toFixed(0)],
    ["previewBulkRelabel({ filter: { selection } })", preview.toLocaleString("en"), previewMs.toFixed(0)],
  ];
  console.log(`\n${box.count.toLocaleString("en")} points, a ${CORNERS}-corner lasso; ms median / max of ${REPEATS}\n`);
  console.log(formatTable(["what", "points", "ms"], rows));
  const met =
    Math.max(...selectionMs) < GOAL_MS && selected.count >= WANTED && selected.count === baselineCount && counted.count === selected.count;
  await writeBenchResult("map-selection", {
    machine: machineDescription(),
    points: box.count,
    corners: CORNERS,
    selected: selected.count,
    baselineMs,
    selectionMs,
    countMs,
    previewMs,
    goalMs: GOAL_MS,
    met,
  });
  console.log(
    `\ngoal: a lasso of ≥ ${WANTED.toLocaleString("en")} points selected and stored in < ${GOAL_MS} ms (worst): ${met ? "met" : "NOT met"}`,
  );
  if (!met) process.exitCode = 1;
} finally {
  await client.end().catch(() => undefined);
  await db?.close().catch(() => undefined);
  await created.drop();
}
