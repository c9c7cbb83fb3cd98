import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { countSamples, pageSamples, parseSampleQuery, refreshSamples, sampleQueryToSearchParams } from "../lib/samples";
import { bulkRelabel, previewBulkRelabel } from "../lib/labels";
import { createMapSelection, readMapSelection, SelectionProjectionNotFoundError } from "../lib/map-selections";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { POST } from "../app/api/map/selections/route";
import { projectionFreshness, reprojectWithMissing } from "../lib/map-points/projection-freshness";
import { createProjection } from "../lib/projection/create-projection";

// Every expected selection is computed here from the stored positions with a plain point-in-polygon
// test (ray casting) and plain SQL for the filters, so a wrong polygon, filter or stored id list fails.

let db: TestDatabase;
let projectionId: string;
let viewerToken: string;
let points: { id: number; x: number; y: number; tier: string | null; quality: number | null }[];

/** Ray casting: the usual even-odd rule, as PostgreSQL's `point <@ polygon` applies it. */
function inside([x, y]: [number, number], polygon: [number, number][]): boolean {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

// A concave lasso (an L shape) over the middle of the layout.
const LASSO: [number, number][] = [
  [-9, -4.5],
  [6, -4.5],
  [6, -0.5],
  [0, -0.5],
  [0, 4.5],
  [-9, 4.5],
];

async function storedIds(id: string): Promise<number[]> {
  const result = await db.pool.query<{ ids: string[] }>("SELECT instruction_ids::text[] AS ids FROM map_selections WHERE id = $1", [id]);
  return result.rows[0]!.ids.map(Number).sort((a, b) => a - b);
}

beforeAll(async () => {
  db = await openTestDatabase();
  const runId = await synthesizeForCuration(db, "pubmedqa-map-selection", 40);
  await refreshSamples(db, runId);
  const space = await db.pool.query<{ id: string }>(
    `INSERT INTO embedding_spaces (embedder, kind, input, dimensions) VALUES ('lexical:test', 'lexical', 'instruction', 256) RETURNING id`,
  );
  const projection = await db.pool.query<{ id: string }>(
    `INSERT INTO projections (space_id, method, parameters, scope, status, progress, point_count, created_by)
     VALUES ($1, 'umap', '{}', '{}', 'done', 1, 0, 'test') RETURNING id`,
    [space.rows[0]!.id],
  );
  projectionId = projection.rows[0]!.id;
  await db.pool.query(
    `INSERT INTO projection_points (projection_id, instruction_id, x, y)
     SELECT $1, instruction_id, (sin(instruction_id * 1.3) * 10)::real, (cos(instruction_id * 0.7) * 5)::real FROM samples`,
    [projectionId],
  );
  points = (
    await db.pool.query<{ id: number; x: number; y: number; tier: string | null; quality: number | null }>(
      `SELECT s.instruction_id::int AS id, p.x, p.y, s.tier::text AS tier, s.quality
         FROM projection_points p JOIN samples s USING (instruction_id) WHERE p.projection_id = $1 ORDER BY 1`,
      [projectionId],
    )
  ).rows;
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
  viewerToken = (await createServiceToken(db, { name: "map-selection-viewer", role: "viewer" }, "test")).token;
});

afterAll(async () => {
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  await db?.drop();
});

describe("map selections", () => {
  it("stores exactly the points inside a concave lasso, and the samples table, count and bulk preview take it by id", async () => {
    const expected = points.filter((p) => inside([p.x, p.y], LASSO)).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(points.length * 0.8);
    const created = await createMapSelection(db, { projection: projectionId, polygon: LASSO }, "curator@test");
    expect(created.count).toBe(expected.length);
    expect(await storedIds(created.id)).toEqual(expected);
    expect(await readMapSelection(db, created.id)).toMatchObject({ projectionId, count: expected.length, createdBy: "curator@test" });

    const query = parseSampleQuery(new URLSearchParams(`selection=${created.id}&limit=500`));
    expect(sampleQueryToSearchParams(query).get("selection")).toBe(created.id);
    const page = await pageSamples(db, query);
    expect(page.rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(expected);
    expect(await countSamples(db, { selection: created.id })).toEqual({ count: expected.length, exact: true });
    // Combined with another filter it narrows, as any filter does.
    const common = expected.filter((id) => points.find((p) => p.id === id)!.tier === "common");
    expect((await countSamples(db, { selection: created.id, tier: ["common"] })).count).toBe(common.length);

    const preview = await previewBulkRelabel(db, { filter: { selection: created.id } }, { primary: "Surgery", secondary: "Urology" });
    expect(preview).toBeGreaterThan(0);
    expect(preview).toBeLessThanOrEqual(expected.length);
  });

  it("leaves out the points outside the filters and those of hidden legend entries", async () => {
    const hiddenQuality = points.find((p) => p.quality !== null && p.tier !== null && inside([p.x, p.y], LASSO))!.quality!;
    const expected = points
      .filter((p) => inside([p.x, p.y], LASSO) && p.tier !== null && (p.quality ?? 0) !== hiddenQuality)
      .map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    const created = await createMapSelection(
      db,
      {
        projection: projectionId,
        polygon: LASSO,
        filters: { tier: ["common", "complex"] },
        hidden: { by: "quality", codes: [hiddenQuality] },
      },
      "curator@test",
    );
    expect(await storedIds(created.id)).toEqual(expected);
    expect(created.count).toBe(expected.length);
  });

  it("relabels a whole selection through the audited bulk path", async () => {
    const created = await createMapSelection(db, { projection: projectionId, polygon: LASSO }, "curator@test");
    const before = await previewBulkRelabel(db, { filter: { selection: created.id } }, { primary: "Pediatrics", secondary: null });
    const result = await bulkRelabel(
      db,
      { filter: { selection: created.id } },
      { primary: "Pediatrics", secondary: null },
      "lasso region is paediatric",
      "curator@test",
    );
    expect(result.count).toBe(before);
    const relabelled = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples s JOIN departments d ON d.id = s.primary_id
        WHERE d.name = 'Pediatrics' AND s.instruction_id = ANY($1::bigint[])`,
      [await storedIds(created.id)],
    );
    // Only kept samples carry a department to relabel: rejected instructions and failed texts in the lasso are left alone.
    const kept = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples WHERE status = 'kept' AND instruction_id = ANY($1::bigint[])`,
      [await storedIds(created.id)],
    );
    expect(kept.rows[0]!.n).toBeGreaterThan(0);
    expect(relabelled.rows[0]!.n).toBe(kept.rows[0]!.n);
    const audit = await db.pool.query<{ row_count: number; selection: { filter: { selection: string } } }>(
      "SELECT row_count, selection FROM bulk_operations WHERE id = $1",
      [result.bulkOperationId],
    );
    expect(audit.rows[0]).toMatchObject({ row_count: before, selection: { filter: { selection: created.id } } });
  });

  it("refuses bad input with a reason and stores nothing; an unknown selection matches no sample", async () => {
    const count = async () => (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM map_selections")).rows[0]!.n;
    const stored = await count();
    await expect(
      createMapSelection(
        db,
        {
          projection: projectionId,
          polygon: [
            [0, 0],
            [1, 1],
          ],
        },
        "x",
      ),
    ).rejects.toThrow(ZodError);
    await expect(
      createMapSelection(
        db,
        {
          projection: projectionId,
          polygon: [
            [0, 0],
            [1, Number.NaN],
            [2, 0],
          ],
        },
        "x",
      ),
    ).rejects.toThrow(ZodError);
    await expect(createMapSelection(db, { projection: "00000000-0000-4000-8000-000000000000", polygon: LASSO }, "x")).rejects.toThrow(
      SelectionProjectionNotFoundError,
    );
    await expect(
      createMapSelection(db, { projection: projectionId, polygon: LASSO, hidden: { by: "reward", codes: [1] } }, "x"),
    ).rejects.toThrow(ZodError);
    expect(await count()).toBe(stored);
    expect((await countSamples(db, { selection: "00000000-0000-4000-8000-000000000000" })).count).toBe(0);
    expect(() => parseSampleQuery(new URLSearchParams("selection=not-an-id"))).toThrow(/selection must be a map selection id/);
  });

  it("POST /api/map/selections answers 201 {id, count} for a viewer, 400 with the reason for a bad lasso", async () => {
    const post = (body: unknown) =>
      POST(
        new Request("http://studio.test/api/map/selections", {
          method: "POST",
          headers: { authorization: `Bearer ${viewerToken}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        undefined,
      );
    const ok = await post({ projection: projectionId, polygon: LASSO });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { id: string; count: number };
    expect(body.count).toBe(points.filter((p) => inside([p.x, p.y], LASSO)).length);
    const bad = await post({ projection: projectionId, polygon: [[0, 0]] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/at least 3 corners/);
  });
});

describe("map freshness", () => {
  it("counts the samples of the projection's scope that are not on it, by run, and queues a projection like it", async () => {
    const { id } = await createProjection(db, { method: "umap", parameters: { nNeighbors: 10, seed: 7 } }, "curator@test");
    // Only some kept samples got a point: the others stand for samples of runs that came after.
    await db.pool.query(
      `INSERT INTO projection_points (projection_id, instruction_id, x, y)
       SELECT $1, instruction_id, 0, 0 FROM samples WHERE status = 'kept' AND instruction_id % 3 = 0`,
      [id],
    );
    await db.pool.query("UPDATE projections SET status = 'done' WHERE id = $1", [id]);
    const missing = await db.pool.query<{ run_id: string; n: number }>(
      `SELECT run_id, count(*)::int AS n FROM samples WHERE status = 'kept' AND instruction_id % 3 <> 0 GROUP BY run_id`,
    );
    expect(missing.rows.length).toBe(1);
    const freshness = await projectionFreshness(db, id);
    expect(freshness.missing).toBe(missing.rows[0]!.n);
    expect(freshness.runs).toEqual([{ runId: missing.rows[0]!.run_id, name: expect.any(String), missing: missing.rows[0]!.n }]);

    const queued = await reprojectWithMissing(db, id, "curator@test");
    const rows = await db.pool.query<{ id: string; method: string; parameters: unknown; scope: unknown; space_id: string; status: string }>(
      "SELECT id, method, parameters, scope, space_id, status::text FROM projections WHERE id = ANY($1::uuid[]) ORDER BY created_at",
      [[id, queued.id]],
    );
    const [before, after] = rows.rows;
    expect(after).toMatchObject({
      id: queued.id,
      method: before!.method,
      parameters: before!.parameters,
      scope: before!.scope,
      space_id: before!.space_id,
      status: "queued",
    });
    const job = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'projection' AND key = 'projection:' || $1",
      [queued.id],
    );
    expect(job.rows[0]!.n).toBe(1);
  });
});
