import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { readFileSync } from "node:fs";
import { checkRunConfig, runConfigSchema, singleServerRoles } from "../lib/runs/run-config";
import { roleKeyProblem } from "../lib/runs/backend-check";
import { clientsForRun } from "../lib/runs/backend-clients";
import { BackendKeyError } from "../lib/llm/backend-key";

/**
 * Issue 14, finding 2: a curator names the variable whose value the studio sends as a Bearer token to a
 * URL the curator chooses. The studio's own secrets must never leave that way: a listener on loopback
 * stands for the curator's server and records every request it gets.
 */
const BASE = "http://studio.test";
const MODEL = "listener/model";
const SECRET = "test-secret-test-secret-test-secret-0123456789";
let db: TestDatabase;
let listener: Server;
let listenerUrl: string;
let received: { url: string; authorization: string | undefined }[] = [];
let curator: string;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET ??= SECRET;
  process.env.FINEMED_BACKEND_KEY_LISTENER = "sk-declared-key";
  db = await openTestDatabase();
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = Promise.resolve(db);
  curator = (await createServiceToken(db, { name: "keys-curator", role: "curator" }, "test")).token;
  listener = createServer((request, response) => {
    received.push({ url: request.url ?? "", authorization: request.headers.authorization });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ object: "list", data: [{ id: MODEL, object: "model" }] }));
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  delete process.env.FINEMED_BACKEND_KEY_LISTENER;
  (globalThis as { finemedDatabase?: Promise<Database> }).finemedDatabase = undefined;
  await new Promise((resolve) => listener?.close(resolve));
  await db?.drop();
});

beforeEach(() => {
  received = [];
});

function post(path: string, body: unknown): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${curator}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function route(path: string): Promise<Record<string, Handler>> {
  return (await import(`../app/api/${path}/route`)) as Record<string, Handler>;
}

function roles(apiKeyEnv: string) {
  const shared = singleServerRoles(listenerUrl, MODEL)["generator"];
  return { generator: { ...shared, apiKeyEnv }, judge: shared, reasoner: shared, classifier: shared, reward: shared };
}

describe("backend keys come only from variables the operator declared", () => {
  it("POST /api/backends/check with apiKeyEnv BETTER_AUTH_SECRET (or DATABASE_URL) sends nothing and answers 400 with the reason", async () => {
    const { POST } = await route("backends/check");
    for (const name of ["BETTER_AUTH_SECRET", "DATABASE_URL", "FINEMED_TOKEN", "FINEMED_PASSWORD", "HF_TOKEN"]) {
      const response = await POST!(post("/api/backends/check", { baseUrl: listenerUrl, model: MODEL, apiKeyEnv: name }), {
        params: Promise.resolve({}),
      });
      expect(response.status, name).toBe(400);
      expect(((await response.json()) as { error: string }).error, name).toMatch(
        /studio's own settings or secrets|not a declared backend key/,
      );
    }
    expect(received).toEqual([]);
  });

  it("sends a declared key (FINEMED_BACKEND_KEY_…) to the server it checks", async () => {
    const { POST } = await route("backends/check");
    const response = await POST!(
      post("/api/backends/check", { baseUrl: listenerUrl, model: MODEL, apiKeyEnv: "FINEMED_BACKEND_KEY_LISTENER" }),
      {
        params: Promise.resolve({}),
      },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
    expect(received.map((request) => request.authorization)).toContain("Bearer sk-declared-key");
    expect(JSON.stringify(received)).not.toContain(process.env.BETTER_AUTH_SECRET!);
  });

  it("POST /api/runs refuses a role naming BETTER_AUTH_SECRET with 400 before any call", async () => {
    const { POST } = await route("runs");
    const response = await POST!(post("/api/runs", { corpus: "none", roles: roles("BETTER_AUTH_SECRET") }), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^roles\.generator: apiKeyEnv BETTER_AUTH_SECRET names one of the studio's own/,
    );
    expect(received).toEqual([]);
  });

  it("GET /api/runs/:id/backends of a stored run naming BETTER_AUTH_SECRET answers 400 and sends nothing; the worker refuses it too", async () => {
    const corpus = await db.pool.query<{ id: string }>("INSERT INTO corpora (name) VALUES ('keys-corpus') RETURNING id");
    const config = runConfigSchema.parse({ corpus: "keys-corpus", roles: roles("BETTER_AUTH_SECRET") });
    // Stored as a run made before the operator's declaration changed (the API refuses such a config today).
    const stored = await db.pool.query<{ id: string }>(
      "INSERT INTO runs (name, corpus_id, config, seed, tier_threshold, simulated, created_by) VALUES ('keys', $1, $2, $3, $4, false, 'test') RETURNING id",
      [corpus.rows[0]!.id, JSON.stringify(config), config.seed, config.tierThreshold],
    );
    const run = { runId: stored.rows[0]!.id };
    const { GET } = await route("runs/[id]/backends");
    const response = await GET!(
      new Request(`${BASE}/api/runs/${run.runId}/backends`, { headers: { authorization: `Bearer ${curator}` } }),
      {
        params: Promise.resolve({ id: run.runId }),
      },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/BETTER_AUTH_SECRET/);
    expect(() => clientsForRun(config)).toThrow(BackendKeyError);
    expect(() => clientsForRun(config)).toThrow(/role generator: apiKeyEnv BETTER_AUTH_SECRET names one of the studio's own/);
    expect(received).toEqual([]);
  });

  it("keeps examples/run.json working: VLLM_API_KEY is declared by default", () => {
    const checked = checkRunConfig(JSON.parse(readFileSync("examples/run.json", "utf8")));
    expect(checked.ok).toBe(true);
    if (checked.ok && process.env.FINEMED_BACKEND_KEY_VARS === undefined) expect(roleKeyProblem(checked.config.roles)).toBeNull();
  });
});
