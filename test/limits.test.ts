import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { connectDatabase, type Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { bulkRelabel } from "../lib/labels";
import { refreshSamples } from "../lib/samples";
import { generateCurationRun } from "../bench/curation-data";
import { POST as postPrompt } from "../app/api/prompts/route";
import { POST as postImport } from "../app/api/imports/route";
import { POST as postComparison } from "../app/api/comparisons/route";
import { GET as getSamples } from "../app/api/samples/route";
import { GET as getFailures } from "../app/api/runs/[id]/failures/route";
import { GET as getRuns } from "../app/api/runs/route";
import { GET as getDatasets } from "../app/api/datasets/route";

// Each limit is hit through the real route handlers (with a real token and database), and each
// refusal must leave the stored data as it was.

let db: TestDatabase;
let token: string;
const shared = globalThis as { finemedDatabase?: Promise<Database> };

beforeAll(async () => {
  db = await openTestDatabase();
  const client = await db.pool.connect();
  try {
    const run = await generateCurationRun(client, 300, () => undefined);
    await refreshSamples(db, run.runId);
  } finally {
    client.release();
  }
  shared.finemedDatabase = Promise.resolve(db);
  token = (await createServiceToken(db, { name: "limits-admin", role: "admin" }, "test")).token;
}, 120_000);

afterAll(async () => {
  shared.finemedDatabase = undefined;
  await db?.drop();
});

const BASE = "http://studio.test";

function request(path: string, init: RequestInit & { duplex?: "half" } = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return new Request(`${BASE}${path}`, { ...init, headers });
}

/** A body streamed in chunks with no Content-Length, as a chunked upload arrives. */
function chunked(text: string, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

async function count(table: string): Promise<number> {
  return (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
}

describe("request body limits", () => {
  it("refuses a JSON body over 1 MiB with 413 and a reason, declared or chunked, and stores nothing", async () => {
    const prompts = await count("prompt_templates");
    const body = JSON.stringify({ key: "instruction-generation", fromVersion: 1, template: `{{text}} ${"x".repeat(1_200_000)}` });
    const declared = await postPrompt(
      request("/api/prompts", {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "content-length": String(body.length) },
      }),
      undefined,
    );
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: string }).error).toMatch(/larger than the limit of 1048576 bytes/);
    const streamed = await postPrompt(
      request("/api/prompts", { method: "POST", body: chunked(body), duplex: "half", headers: { "content-type": "application/json" } }),
      undefined,
    );
    expect(streamed.status).toBe(413);
    expect(await count("prompt_templates")).toBe(prompts);
  });

  it("refuses an upload over FINEMED_MAX_UPLOAD_BYTES with 413, by its Content-Length or while streaming, and imports nothing", async () => {
    const before = { corpora: await count("corpora"), imports: await count("imports"), texts: await count("source_texts") };
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ id: `t${i}`, text: `A patient with type 2 diabetes, case ${i}, treated with metformin.` }),
    ).join("\n");
    const previous = process.env.FINEMED_MAX_UPLOAD_BYTES;
    process.env.FINEMED_MAX_UPLOAD_BYTES = "10000";
    try {
      const path = "/api/imports?corpus=too-big&fileName=big.jsonl";
      const declared = await postImport(
        request(path, { method: "POST", body: lines, headers: { "content-length": String(lines.length) } }),
        undefined,
      );
      expect(declared.status).toBe(413);
      expect(((await declared.json()) as { error: string }).error).toMatch(/over the upload limit of 10000/);
      const streamed = await postImport(request(path, { method: "POST", body: chunked(lines, 4096), duplex: "half" }), undefined);
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as { error: string }).error).toMatch(/over the upload limit of 10000 bytes; nothing was imported/);
      // Under the limit, the same route imports (the limit is what refused, nothing else).
      const small = lines.split("\n").slice(0, 20).join("\n");
      const accepted = await postImport(
        request("/api/imports?corpus=small-enough&fileName=small.jsonl", { method: "POST", body: chunked(small, 512), duplex: "half" }),
        undefined,
      );
      expect(accepted.status).toBe(201);
    } finally {
      if (previous === undefined) delete process.env.FINEMED_MAX_UPLOAD_BYTES;
      else process.env.FINEMED_MAX_UPLOAD_BYTES = previous;
    }
    const tooBig = await db.pool.query(`SELECT 1 FROM corpora WHERE name = 'too-big'`);
    expect(tooBig.rows).toEqual([]);
    expect(await count("corpora")).toBe(before.corpora + 1);
    expect(await count("imports")).toBe(before.imports + 1);
    expect(await count("source_texts")).toBe(before.texts + 20);
  });
});

/** `total` bytes of JSONL instructions, made as they are read (a 53 MB upload never sits in memory). */
function generatedJsonl(total: number): ReadableStream<Uint8Array> {
  const line = new TextEncoder().encode(
    `${JSON.stringify({ instruction: `Summarise the discharge letter of a patient with heart failure. ${"x".repeat(900)}` })}\n`,
  );
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const batch = new Uint8Array(line.byteLength * 64);
      for (let i = 0; i < 64; i++) batch.set(line, i * line.byteLength);
      controller.enqueue(batch);
      sent += batch.byteLength;
    },
  });
}

describe("comparison upload cap (security probe finding 6)", () => {
  it("refuses a chunked 53 MB comparison upload over a 10 MiB cap with 413 and stores nothing", async () => {
    const before = { datasets: await count("comparison_datasets"), instructions: await count("comparison_instructions") };
    const previous = process.env.FINEMED_MAX_UPLOAD_BYTES;
    process.env.FINEMED_MAX_UPLOAD_BYTES = String(10 * 1024 * 1024);
    try {
      const path = "/api/comparisons?name=chunked-53mb&fileName=big.jsonl";
      const streamed = await postComparison(request(path, { method: "POST", body: generatedJsonl(53_000_000), duplex: "half" }), undefined);
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as { error: string }).error).toMatch(/over the upload limit of 10485760 bytes; nothing was imported/);
      const declared = await postComparison(
        request(path, { method: "POST", body: "{}", headers: { "content-length": "53000000" } }),
        undefined,
      );
      expect(declared.status).toBe(413);
      // Under the cap the same route stores the dataset (the cap is what refused, nothing else).
      const small = await postComparison(
        request("/api/comparisons?name=chunked-small&fileName=small.jsonl", {
          method: "POST",
          body: generatedJsonl(50_000),
          duplex: "half",
        }),
        undefined,
      );
      expect(small.status).toBe(201);
    } finally {
      if (previous === undefined) delete process.env.FINEMED_MAX_UPLOAD_BYTES;
      else process.env.FINEMED_MAX_UPLOAD_BYTES = previous;
    }
    expect((await db.pool.query(`SELECT 1 FROM comparison_datasets WHERE name = 'chunked-53mb'`)).rows).toEqual([]);
    expect(await count("comparison_datasets")).toBe(before.datasets + 1);
    expect(await count("comparison_instructions")).toBeGreaterThan(before.instructions);
  }, 60_000);
});

describe("page sizes", () => {
  it("answers 400 with the reason for a page larger than the bound", async () => {
    const samples = await getSamples(request("/api/samples?limit=100000"), undefined);
    expect(samples.status).toBe(400);
    expect(((await samples.json()) as { error: string }).error).toMatch(/limit/);
    const within = await getSamples(request("/api/samples?limit=500"), undefined);
    expect(within.status).toBe(200);
    const failures = await getFailures(request("/api/runs/00000000-0000-4000-8000-000000000000/failures?limit=100000"), {
      params: Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" }),
    });
    expect(failures.status).toBe(400);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("query timeouts (PostgreSQL server)", () => {
  it("stops a web query past FINEMED_QUERY_TIMEOUT_SECONDS with 503 and the reason, but not a bulk write", async () => {
    const previous = process.env.FINEMED_QUERY_TIMEOUT_SECONDS;
    process.env.FINEMED_QUERY_TIMEOUT_SECONDS = "0.5";
    const web = await connectDatabase({ url: db.url, migrate: false, statementTimeoutMs: 500 });
    shared.finemedDatabase = Promise.resolve(web);
    const blocker = await db.pool.connect();
    try {
      // A curator's long transaction holds the table: the page query waits on it past the limit.
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE");
      const started = Date.now();
      const response = await getSamples(request("/api/samples?limit=10"), undefined);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toMatch(/the query took longer than 0.5 s/);
      expect(Date.now() - started).toBeLessThan(10_000);

      // A route with no error handling of its own gets the same 503 from the role gate, not a 500.
      await blocker.query("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE");
      const runs = await getRuns(request("/api/runs"), undefined);
      expect(runs.status).toBe(503);
      expect(((await runs.json()) as { error: string }).error).toMatch(/the query took longer than 0.5 s/);

      // A read through Prisma's client: its wrapped error is recognised as the same timeout.
      await blocker.query("LOCK TABLE dataset_versions IN ACCESS EXCLUSIVE MODE");
      const versions = await getDatasets(request("/api/datasets"), undefined);
      expect(versions.status).toBe(503);
      expect(((await versions.json()) as { error: string }).error).toMatch(/the query took longer than 0.5 s/);

      // A bulk relabel on the same limited pool waits as long as it must (its transaction lifts the limit).
      const relabel = bulkRelabel(
        web,
        { filter: {} },
        { primary: "Other Departments", secondary: "Rehabilitation Medicine" },
        "limits",
        "limits",
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await blocker.query("ROLLBACK");
      const result = await relabel;
      expect(result.count).toBeGreaterThan(0);
    } finally {
      await blocker.query("ROLLBACK").catch(() => undefined);
      blocker.release();
      shared.finemedDatabase = Promise.resolve(db);
      await web.close();
      if (previous === undefined) delete process.env.FINEMED_QUERY_TIMEOUT_SECONDS;
      else process.env.FINEMED_QUERY_TIMEOUT_SECONDS = previous;
    }
  }, 60_000);
});
