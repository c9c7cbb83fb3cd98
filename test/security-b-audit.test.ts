// Finding 4 of the security probe: the audit cannot be skipped. Every JSON body is read once by one
// bounded parser (depth and size) whatever its framing, a non-JSON body is refused, and the audit
// event is written before the change, so a change whose audit cannot be written is never made.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import type { Database } from "../lib/db/database";
import { createServiceToken } from "../lib/auth/service-tokens";
import { jsonDepthExceeds, readJsonBody } from "../lib/http/json-body";
import { withRole } from "../lib/auth/with-role";
import { withRoleInTransaction } from "../lib/auth/with-role-in-transaction";
import { POST as createToken } from "../app/api/tokens/route";
import { POST as addDepartment } from "../app/api/taxonomy/departments/route";
import { inTransaction } from "../lib/db/transaction";
import { listAuditEvents, type AuditEvent } from "../lib/audit";
import { runCli } from "./support/cli";

const BASE = "http://studio.test";
let db: TestDatabase;
let admin: string;
const shared = globalThis as { finemedDatabase?: Promise<Database> };

beforeAll(async () => {
  db = await openTestDatabase();
  shared.finemedDatabase = Promise.resolve(db);
  admin = (await createServiceToken(db, { name: "audit-probe-admin", role: "admin" }, "test")).token;
}, 120_000);

afterAll(async () => {
  shared.finemedDatabase = undefined;
  await db?.drop();
});

function post(path: string, body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }): Request {
  const init: RequestInit & { duplex?: "half" } = { method: "POST", body, headers: { authorization: `Bearer ${admin}`, ...headers } };
  if (body instanceof ReadableStream) init.duplex = "half";
  return new Request(`${BASE}${path}`, init);
}

function chunked(text: string, chunkBytes = 7): ReadableStream<Uint8Array> {
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

async function tokenNamed(name: string): Promise<number> {
  return (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM service_tokens WHERE name = $1`, [name])).rows[0]!.n;
}

async function auditEventsFor(name: string): Promise<{ details: Record<string, unknown> }[]> {
  return (
    await db.pool.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit_events WHERE details::text LIKE $1`, [`%${name}%`])
  ).rows;
}

describe("the bounded body parser", () => {
  it("measures nesting outside strings only", () => {
    expect(jsonDepthExceeds(`{"a":[[{"b":1}]]}`, 4)).toBe(false);
    expect(jsonDepthExceeds(`{"a":[[{"b":[1]}]]}`, 4)).toBe(true);
    expect(jsonDepthExceeds(`{"a":"[[[[[[[[\\"[[[["}`, 2)).toBe(false);
  });
});

describe("the audit cannot be skipped", () => {
  it("refuses a body nested 20,000 levels deep with 400 and makes no change", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const response = await createToken(post("/api/tokens", `{"name":"deep-admin","role":"admin","note":${deep}}`), undefined);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/nests deeper than 64 levels/);
    expect(await tokenNamed("deep-admin")).toBe(0);
    expect(await auditEventsFor("deep-admin")).toEqual([]);
  });

  it("refuses text/plain with 415 and the reason, and makes no change", async () => {
    const response = await createToken(
      post("/api/tokens", JSON.stringify({ name: "plain-admin", role: "admin" }), { "content-type": "text/plain;charset=UTF-8" }),
      undefined,
    );
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: string }).error).toMatch(/takes a JSON body .* not text\/plain/);
    expect(await tokenNamed("plain-admin")).toBe(0);
  });

  it("records the request part of a chunked JSON body", async () => {
    const response = await createToken(post("/api/tokens", chunked(JSON.stringify({ name: "chunked-admin", role: "admin" }))), undefined);
    expect(response.status).toBe(201);
    const events = await auditEventsFor("chunked-admin");
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({
      method: "POST",
      path: "/api/tokens",
      status: 201,
      request: { name: "chunked-admin", role: "admin" },
    });
    expect(events[0]!.details).not.toHaveProperty("outcome");
  });

  it("makes no change when the audit event cannot be written", async () => {
    await db.pool.query(`
      CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$;
      CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit();`);
    try {
      const refused = await createToken(post("/api/tokens", JSON.stringify({ name: "unaudited-admin", role: "admin" })), undefined);
      expect(refused.status).toBe(500);
      expect(((await refused.json()) as { error: string }).error).toMatch(/could not complete this request/);
      expect(await tokenNamed("unaudited-admin")).toBe(0);
    } finally {
      await db.pool.query(`DROP TRIGGER refuse_audit ON audit_events; DROP FUNCTION refuse_audit();`);
    }
  });

  it("keeps the event of a request whose handler failed after it may have changed something", async () => {
    const failing = withRole("admin", async () => {
      await db.pool.query(`INSERT INTO corpora (name) VALUES ('half-done')`);
      throw new Error("failed after the change");
    });
    const response = await failing(post("/api/probe/half-done", JSON.stringify({ note: "half-done-probe" })), undefined);
    expect(response.status).toBe(500);
    const events = await auditEventsFor("half-done-probe");
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ status: 500, outcome: "error", request: { note: "half-done-probe" } });
  });

  it("withdraws the pending event of a refused change", async () => {
    const response = await addDepartment(post("/api/taxonomy/departments", JSON.stringify({ primary: "withdrawn-probe" })), undefined);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await auditEventsFor("withdrawn-probe")).toEqual([]);
  });
});

/** Plants a trigger on audit_events that raises when `when` (SQL over NEW) holds; dropped by the returned function. */
async function refuseAudit(operation: "INSERT" | "UPDATE", when: string): Promise<() => Promise<void>> {
  await db.pool.query(`
    CREATE FUNCTION refuse_audit_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF ${when} THEN RAISE EXCEPTION 'audit log unavailable'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse_audit_write BEFORE ${operation} ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit_write();`);
  return async () => {
    await db.pool.query(`DROP TRIGGER refuse_audit_write ON audit_events; DROP FUNCTION refuse_audit_write();`);
  };
}

async function eventOf(path: string): Promise<AuditEvent[]> {
  return (await listAuditEvents(db, { limit: 500 })).events.filter((event) => event.details.path === path);
}

async function departmentNamed(name: string): Promise<number> {
  return (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM departments WHERE name = $1`, [name])).rows[0]!.n;
}

describe("the change and its audit event commit together (transactional outbox)", () => {
  it("leaves no change when the event's commit mark cannot be written in the change's transaction", async () => {
    const drop = await refuseAudit("UPDATE", `NEW.details->>'outcome' = 'committed'`);
    try {
      const department = await addDepartment(
        post("/api/taxonomy/departments", JSON.stringify({ level: "primary", name: "Outbox Probe Medicine" })),
        undefined,
      );
      expect(department.status).toBe(500);
      const token = await createToken(post("/api/tokens", JSON.stringify({ name: "unmarked-admin", role: "admin" })), undefined);
      expect(token.status).toBe(500);
    } finally {
      await drop();
    }
    expect(await departmentNamed("Outbox Probe Medicine")).toBe(0);
    expect(await tokenNamed("unmarked-admin")).toBe(0);
    // Each request's event says it failed, and that nothing of it was committed.
    const events = (await eventOf("/api/taxonomy/departments")).concat(
      (await eventOf("/api/tokens")).filter((event) => JSON.stringify(event.details).includes("unmarked-admin")),
    );
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event.state).toBe("failed");
      expect(event.details).not.toHaveProperty("committed");
    }
  });

  it("a change that rolls back leaves an event that says it failed, never done; one that committed first says so", async () => {
    const rolledBack = withRole("admin", async () => {
      await inTransaction(db, async (client) => {
        await client.query(`INSERT INTO corpora (name) VALUES ('outbox-rolled-back')`);
        throw new Error("the change failed inside its transaction");
      });
      return Response.json({ ok: true });
    });
    expect((await rolledBack(post("/api/probe/rolled-back", JSON.stringify({ note: "rolled-back" })), undefined)).status).toBe(500);
    expect((await db.pool.query(`SELECT 1 FROM corpora WHERE name = 'outbox-rolled-back'`)).rowCount).toBe(0);
    const [failed] = await eventOf("/api/probe/rolled-back");
    expect(failed!.state).toBe("failed");
    expect(failed!.details).not.toHaveProperty("committed");

    const halfway = withRole("admin", async () => {
      await inTransaction(db, (client) => client.query(`INSERT INTO corpora (name) VALUES ('outbox-first-half')`));
      await inTransaction(db, async () => {
        throw new Error("the second half failed");
      });
      return Response.json({ ok: true });
    });
    expect((await halfway(post("/api/probe/halfway", JSON.stringify({ note: "halfway" })), undefined)).status).toBe(500);
    const [partial] = await eventOf("/api/probe/halfway");
    expect(partial!.state).toBe("failed");
    expect(partial!.details).toMatchObject({ outcome: "error", committed: true, status: 500 });
  });

  it("when the result cannot be recorded, a committed change reads 'committed' and one that never committed 'pending'", async () => {
    // The completion (the only update that adds a status) fails, as if the process had stopped after the change.
    const drop = await refuseAudit("UPDATE", `NEW.details ? 'status'`);
    try {
      const made = await createToken(post("/api/tokens", JSON.stringify({ name: "crash-window-admin", role: "admin" })), undefined);
      expect(made.status).toBe(201);
      const never = withRole("admin", async () =>
        inTransaction(db, async () => {
          throw new Error("nothing committed");
        }),
      );
      expect((await never(post("/api/probe/never", JSON.stringify({ note: "never" })), undefined)).status).toBe(500);
    } finally {
      await drop();
    }
    expect(await tokenNamed("crash-window-admin")).toBe(1);
    const committed = (await eventOf("/api/tokens")).filter((event) => JSON.stringify(event.details).includes("crash-window-admin"));
    expect(committed.map((event) => event.state)).toEqual(["committed"]);
    expect((await eventOf("/api/probe/never")).map((event) => event.state)).toEqual(["pending"]);
  });

  it("the CLI writes its event ahead too: a command whose event cannot be written changes nothing", async () => {
    const drop = await refuseAudit("INSERT", "true");
    let refused;
    try {
      refused = await runCli(["tokens", "create", "--name", "cli-unaudited", "--role", "admin"], { ...db.childEnv, FINEMED_TOKEN: admin });
    } finally {
      await drop();
    }
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("audit log unavailable");
    expect(await tokenNamed("cli-unaudited")).toBe(0);
    const made = await runCli(["tokens", "create", "--name", "cli-audited", "--role", "viewer"], { ...db.childEnv, FINEMED_TOKEN: admin });
    expect(made.code).toBe(0);
    const events = (await listAuditEvents(db, { action: "tokens.create" })).events.filter((event) => event.via === "cli");
    expect(events.map((event) => [event.state, event.details.argv])).toEqual([
      ["done", ["create", "--name", "cli-audited", "--role", "viewer"]],
    ]);
  }, 60_000);
});

describe("the gate's transaction mode (withRoleInTransaction): the event is stored with the change or not at all", () => {
  const probe = (name: string) => `probe_${name}`;
  const changed = async (name: string) =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM transaction_probe WHERE name = $1`, [probe(name)])).rows[0]!.n;
  const events = async (name: string) =>
    (
      await db.pool.query<{ subject_id: string; details: Record<string, unknown> }>(
        `SELECT subject_id, details FROM audit_events WHERE action = 'probes.create' AND subject_id = $1`,
        [probe(name)],
      )
    ).rows;
  // A change in one transaction of its own, answering `refuse` (a 409) after it recorded its event.
  const route = withRoleInTransaction("curator", async (request, _context, _actor, audit) => {
    // The gate read the body already; the handler gets the same value back.
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const { name, refuse, record } = body.value as { name: string; refuse?: boolean; record?: boolean };
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`INSERT INTO transaction_probe (name) VALUES ($1)`, [probe(name)]);
      if (record !== false) await audit.record(client, { subject: { type: "probe", id: probe(name) }, result: { made: 1 } });
      if (refuse) {
        await client.query("ROLLBACK");
        return Response.json({ error: "refused after the event was recorded" }, { status: 409 });
      }
      await client.query("COMMIT");
      return Response.json({ made: 1 });
    } finally {
      client.release();
    }
  });
  const call = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    route(post("/api/probes", body, headers), undefined);

  beforeAll(async () => {
    await db.pool.query(`CREATE TABLE transaction_probe (name text NOT NULL)`);
  });

  it("commits the change and its completed event together, in the shape withRole gives it", async () => {
    const response = await call(JSON.stringify({ name: "kept" }));
    expect(response.status).toBe(200);
    expect(await changed("kept")).toBe(1);
    const [event] = await events("kept");
    expect(event!.details).toEqual({
      method: "POST",
      path: "/api/probes",
      status: 200,
      request: { name: "kept" },
      result: { made: 1 },
    });
  });

  it("leaves neither the change nor the event when the handler's transaction rolls back", async () => {
    expect((await call(JSON.stringify({ name: "refused", refuse: true }))).status).toBe(409);
    expect(await changed("refused")).toBe(0);
    expect(await events("refused")).toEqual([]);
  });

  it("refuses through the shared gate before the handler runs: a body that is not JSON, no token, a viewer", async () => {
    expect((await call(JSON.stringify({ name: "plain" }), { "content-type": "text/plain" })).status).toBe(415);
    const viewer = (await createServiceToken(db, { name: "transaction-viewer", role: "viewer" }, "test")).token;
    const asViewer = await route(
      new Request(`${BASE}/api/probes`, {
        method: "POST",
        headers: { authorization: `Bearer ${viewer}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "viewer" }),
      }),
      undefined,
    );
    expect(asViewer.status).toBe(403);
    const anonymous = await route(
      new Request(`${BASE}/api/probes`, { method: "POST", body: JSON.stringify({ name: "anonymous" }) }),
      undefined,
    );
    expect(anonymous.status).toBe(401);
    for (const name of ["plain", "viewer", "anonymous"]) expect(await changed(name)).toBe(0);
  });

  it("records the event itself when a handler answers success without having recorded it: no unaudited change", async () => {
    const response = await call(JSON.stringify({ name: "forgotten", record: false }));
    expect(response.status).toBe(200);
    const recorded = await db.pool.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'probes.create' AND details->'request'->>'name' = 'forgotten'`,
    );
    expect(recorded.rows.map((row) => row.details.status)).toEqual([200]);
  });
});
