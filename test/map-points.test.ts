import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { synthesizeForCuration } from "./curation-run";
import { pageSamples, parseSampleQuery, refreshSamples, sampleQueryToSearchParams } from "../lib/samples";
import { bulkRelabel } from "../lib/labels";
import {
  decodePointPayload,
  POINT_FLAGS,
  PointPayloadError,
  readMapPoints,
  ProjectionNotFoundError,
  type MapPoints,
} from "../lib/map-points";
import { pointRanges } from "../lib/map-points/point-ranges";
import { POINT_COLUMNS } from "../lib/map-points/point-payload";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { GET } from "../app/api/map/points/route";

// Every expectation is read again from `samples` and `sample_documents` with plain SQL, so a wrong
// join, column order, code table or flag in the payload fails here.

interface Truth {
  id: number;
  x: number;
  y: number;
  reward: number | null;
  primary_id: number | null;
  secondary_id: number | null;
  model_primary_id: number | null;
  model_secondary_id: number | null;
  curated_primary_id: number | null;
  curated_secondary_id: number | null;
  tier: string | null;
  status: string;
  quality: number | null;
  difficulty: number | null;
  relevance: number | null;
}

const POINT_COLUMN_NAMES = POINT_COLUMNS.map(([name]) => name);

let db: TestDatabase;
let projectionId: string;
let otherProjectionId: string;
/** A viewer's service token: the route is read-only, so the lowest role must be enough. */
let viewerToken: string;

async function truth(): Promise<Truth[]> {
  const result = await db.pool.query<Truth>(
    `SELECT s.instruction_id AS id, p.x, p.y, s.reward_score AS reward, s.primary_id, s.secondary_id, s.model_primary_id, s.model_secondary_id,
            s.curated_primary_id, s.curated_secondary_id, s.tier::text AS tier, s.status::text AS status, s.quality, s.difficulty, s.relevance
       FROM projection_points p JOIN samples s ON s.instruction_id = p.instruction_id
      WHERE p.projection_id = $1 ORDER BY s.instruction_id`,
    [projectionId],
  );
  return result.rows;
}

async function ids(sql: string, params: unknown[] = []): Promise<Set<number>> {
  return new Set((await db.pool.query<{ id: number }>(sql, params)).rows.map((row) => row.id));
}

function flagged(points: MapPoints, flag: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < points.count; i++) if (points.flags[i]! & flag) out.add(points.instructionId[i]!);
  return out;
}

async function read(request: Omit<Parameters<typeof readMapPoints>[1], "projectionId"> = {}, id = projectionId): Promise<MapPoints> {
  const bytes = await readMapPoints(db, { projectionId: id, ...request });
  // Decoded from a fresh ArrayBuffer, as the browser gets it from fetch.
  return decodePointPayload(bytes.slice().buffer);
}

async function insertProjection(database: Database, seed: number, share: string): Promise<string> {
  const space = await database.pool.query<{ id: string }>(
    `INSERT INTO embedding_spaces (embedder, kind, input, dimensions) VALUES ($1, 'lexical', 'instruction', 256)
     ON CONFLICT (embedder, input) DO UPDATE SET dimensions = EXCLUDED.dimensions RETURNING id`,
    ["lexical:test"],
  );
  const projection = await database.pool.query<{ id: string }>(
    `INSERT INTO projections (space_id, method, parameters, scope, status, progress, point_count, created_by)
     VALUES ($1, 'umap', $2, '{}', 'done', 1, 0, 'test') RETURNING id`,
    [space.rows[0]!.id, JSON.stringify({ nNeighbors: 15, minDist: 0.1, seed })],
  );
  const id = projection.rows[0]!.id;
  // Positions are a deterministic function of the id; `share` keeps only some samples in the projection.
  await database.pool.query(
    `INSERT INTO projection_points (projection_id, instruction_id, x, y)
     SELECT $1, instruction_id, (sin(instruction_id * $2::float8) * 10)::real, (cos(instruction_id * 0.7) * 5 - 1.25)::real
       FROM samples WHERE ${share}`,
    [id, seed],
  );
  return id;
}

beforeAll(async () => {
  db = await openTestDatabase();
  const runId = await synthesizeForCuration(db, "pubmedqa-map", 40);
  await refreshSamples(db, runId);
  // One sample in ten stays off the map: the payload must carry the projection's points only.
  projectionId = await insertProjection(db, 1.3, "instruction_id % 10 <> 3");
  otherProjectionId = await insertProjection(db, 2.9, "instruction_id % 2 = 0");
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
  viewerToken = (await createServiceToken(db, { name: "map-viewer", role: "viewer" }, "test")).token;
});

afterAll(async () => {
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  await db?.drop();
});

describe("the map's point payload", () => {
  it("carries every column of every point of the projection", async () => {
    const rows = await truth();
    expect(rows.length).toBeGreaterThan(40);
    const points = await read();
    expect(points.count).toBe(rows.length);
    const tierCode = (tier: string | null) => (tier === null ? 0 : points.tables.tiers.indexOf(tier) + 1);
    // Points come in the database's join order; the id column says which is which.
    const indexOf = new Map(Array.from(points.instructionId, (id, i) => [id, i]));
    expect(indexOf.size).toBe(rows.length);
    rows.forEach((row) => {
      const i = indexOf.get(row.id)!;
      expect(points.instructionId[i]).toBe(row.id);
      expect(points.x[i]).toBe(Math.fround(row.x));
      expect(points.y[i]).toBe(Math.fround(row.y));
      if (row.reward === null) expect(points.reward[i]).toBeNaN();
      else expect(points.reward[i]).toBe(Math.fround(row.reward));
      expect(points.primary[i]).toBe(row.primary_id ?? 0);
      expect(points.secondary[i]).toBe(row.secondary_id ?? 0);
      expect(points.modelPrimary[i]).toBe(row.model_primary_id ?? 0);
      expect(points.modelSecondary[i]).toBe(row.model_secondary_id ?? 0);
      expect(points.curatedPrimary[i]).toBe(row.curated_primary_id ?? 0);
      expect(points.curatedSecondary[i]).toBe(row.curated_secondary_id ?? 0);
      expect(points.tier[i]).toBe(tierCode(row.tier));
      expect(points.tables.statuses[points.status[i]! - 1]).toBe(row.status);
      expect(points.quality[i]).toBe(row.quality ?? 0);
      expect(points.difficulty[i]).toBe(row.difficulty ?? 0);
      expect(points.relevance[i]).toBe(row.relevance ?? 0);
      // No filters: every point is in the filter; nothing curated yet.
      expect(points.flags[i]).toBe(POINT_FLAGS.inFilter);
    });
    // The data has the variety the columns are meant to carry.
    expect(rows.some((row) => row.tier === "complex" || row.tier === "common")).toBe(true);
    expect(rows.some((row) => row.reward !== null) && rows.some((row) => row.reward === null)).toBe(true);
    expect(rows.some((row) => row.primary_id !== null)).toBe(true);
    // The tables name every department the columns use.
    const named = new Set(points.tables.departments.map((d) => d.id));
    for (let i = 0; i < points.count; i++) if (points.primary[i]) expect(named.has(points.primary[i]!)).toBe(true);
  });

  it("reads a large projection in id ranges on separate connections, and the parts add up to the whole", async () => {
    const whole = await read();
    const ranges = (await pointRanges(db, projectionId, 7))!;
    expect(ranges.length).toBe(db.embedded ? 1 : 4);
    ranges.slice(1).forEach((range, i) => expect(range.from).toBe(ranges[i]!.to));
    const inParts = await read({ pointsPerPart: 7 });
    const byId = (points: MapPoints) =>
      new Map(Array.from(points.instructionId, (id, i) => [id, POINT_COLUMN_NAMES.map((name) => points[name][i])]));
    expect(inParts.count).toBe(whole.count);
    expect(byId(inParts)).toEqual(byId(whole));
  });

  it("reads one projection, not another", async () => {
    const other = await read({}, otherProjectionId);
    const expected = await ids("SELECT instruction_id AS id FROM projection_points WHERE projection_id = $1", [otherProjectionId]);
    expect(new Set(other.instructionId)).toEqual(expected);
    expect(other.count).toBe(expected.size);
  });

  it("flags the points inside the shared /samples filters and leaves the others in, flagged out", async () => {
    const points = await read({ filters: { quality: { min: 7 }, tier: ["common"] } });
    const inside = flagged(points, POINT_FLAGS.inFilter);
    const expected = await ids(
      `SELECT s.instruction_id AS id FROM samples s JOIN projection_points p ON p.instruction_id = s.instruction_id AND p.projection_id = $1
        WHERE s.quality >= 7 AND s.tier = 'common'`,
      [projectionId],
    );
    expect(expected.size).toBeGreaterThan(0);
    expect(inside).toEqual(expected);
    expect(points.count).toBe((await truth()).length);

    const primary = (
      await db.pool.query<{ name: string; id: number }>(
        "SELECT d.name, d.id FROM samples s JOIN departments d ON d.id = s.primary_id GROUP BY d.name, d.id ORDER BY count(*) DESC LIMIT 1",
      )
    ).rows[0]!;
    const byDepartment = flagged(await read({ filters: { primary: [primary.name] } }), POINT_FLAGS.inFilter);
    expect(byDepartment).toEqual(
      await ids(
        "SELECT s.instruction_id AS id FROM samples s JOIN projection_points p USING (instruction_id) WHERE p.projection_id = $1 AND s.primary_id = $2",
        [projectionId, primary.id],
      ),
    );
  });

  it("flags full-text matches of the highlight without hiding the rest, and applies q as a filter", async () => {
    const word = "patients";
    const expected = await ids(
      `SELECT d.instruction_id AS id FROM sample_documents d JOIN projection_points p ON p.instruction_id = d.instruction_id AND p.projection_id = $1
        WHERE d.search @@ websearch_to_tsquery('english', $2)`,
      [projectionId, word],
    );
    expect(expected.size).toBeGreaterThan(0);
    const highlighted = await read({ highlight: word });
    expect(flagged(highlighted, POINT_FLAGS.searchMatch)).toEqual(expected);
    expect(flagged(highlighted, POINT_FLAGS.inFilter).size).toBe(highlighted.count);
    expect(expected.size).toBeLessThan(highlighted.count);

    const filtered = await read({ filters: { text: word } });
    expect(flagged(filtered, POINT_FLAGS.inFilter)).toEqual(expected);
    expect(flagged(filtered, POINT_FLAGS.searchMatch).size).toBe(0);
  });

  it("shows a curator's bulk relabel: curated columns, the label in force and the curated flag", async () => {
    const target = (
      await db.pool.query<{ id: number; name: string }>(
        "SELECT id, name FROM departments WHERE level = 'primary' ORDER BY sort_order DESC LIMIT 1",
      )
    ).rows[0]!;
    const chosen = [
      ...(await ids(
        // Kept samples whose label differs from the target: only they are changed (and so curated) by the relabel.
        `SELECT p.instruction_id AS id FROM projection_points p JOIN samples s ON s.instruction_id = p.instruction_id
          WHERE p.projection_id = $1 AND s.status = 'kept' AND (s.primary_id, s.secondary_id) IS DISTINCT FROM ($2::smallint, NULL::smallint)
          ORDER BY p.instruction_id LIMIT 5`,
        [projectionId, target.id],
      )),
    ];
    expect(chosen).toHaveLength(5);
    await bulkRelabel(db, { ids: chosen }, { primary: target.name, secondary: null }, "map test", "test");
    const points = await read();
    const curated = flagged(points, POINT_FLAGS.curated);
    expect(curated).toEqual(new Set(chosen));
    for (let i = 0; i < points.count; i++) {
      if (!curated.has(points.instructionId[i]!)) continue;
      expect(points.curatedPrimary[i]).toBe(target.id);
      expect(points.primary[i]).toBe(target.id);
      expect(points.secondary[i]).toBe(0);
    }
  });

  it("refuses a payload it cannot read", () => {
    expect(() => decodePointPayload(new ArrayBuffer(8))).toThrow(PointPayloadError);
    expect(() => decodePointPayload(new TextEncoder().encode("not a payload at all").buffer)).toThrow(/not a point payload/);
  });

  it("refuses an unknown projection", async () => {
    await expect(readMapPoints(db, { projectionId: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(ProjectionNotFoundError);
  });
});

describe("the samples table's ids filter (a map selection opened in the table)", () => {
  it("pages exactly the given samples, round-trips through the URL and refuses bad ids", async () => {
    const chosen = [...(await ids("SELECT instruction_id AS id FROM samples ORDER BY instruction_id DESC LIMIT 7"))].sort((a, b) => a - b);
    const query = parseSampleQuery(new URLSearchParams(`ids=${chosen.join(",")}&tier=common`));
    expect(query.filters.ids).toEqual(chosen);
    expect(parseSampleQuery(sampleQueryToSearchParams(query))).toEqual(query);
    const page = await pageSamples(db, { filters: { ids: chosen }, limit: 100 });
    expect(page.rows.map((row) => row.id)).toEqual(chosen);
    expect(() => parseSampleQuery(new URLSearchParams("ids=1,two"))).toThrow();
    expect(() => parseSampleQuery(new URLSearchParams("ids=-4"))).toThrow();
  });
});

describe("GET /api/map/points", () => {
  const get = (search: string) =>
    GET(new Request(`http://studio.test/api/map/points?${search}`, { headers: { authorization: `Bearer ${viewerToken}` } }), undefined);

  it("answers the binary payload, filtered by the /samples params", async () => {
    const response = await get(`projection=${projectionId}&tier=complex&highlight=patients`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    const points = decodePointPayload(await response.arrayBuffer());
    expect(points.count).toBe((await truth()).length);
    expect(flagged(points, POINT_FLAGS.inFilter)).toEqual(
      await ids(
        "SELECT s.instruction_id AS id FROM samples s JOIN projection_points p USING (instruction_id) WHERE p.projection_id = $1 AND s.tier = 'complex'",
        [projectionId],
      ),
    );
  });

  it("answers 400 with the reason for bad parameters, and 404 for a missing projection", async () => {
    for (const [search, reason] of [
      ["", /projection/],
      ["projection=not-a-uuid", /projection/],
      [`projection=${projectionId}&quality.min=eleven`, /quality/],
      [`projection=${projectionId}&tier=legendary`, /tier/],
      [`projection=${projectionId}&quality.min=9&quality.max=2`, /min must not exceed max/],
    ] as const) {
      const response = await get(search);
      expect(response.status, search).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(reason);
    }
    const missing = await get("projection=00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
  });
});
