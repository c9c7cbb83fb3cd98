// What sign-in and the role gate cost (issue 7), on a real PostgreSQL server:
// - the per-request identity check withRole makes (a session cookie through better-auth, or a service token);
// - a sign-in (scrypt) and the audit insert every state change adds;
// - the audit page's queries over 1,000,000 events: newest page, by actor, by action prefix, a deep keyset page.
import { connectDatabase } from "../lib/db/database";
import { authFor } from "../lib/auth/auth";
import { identifyRequest } from "../lib/auth/request-identity";
import { createServiceToken } from "../lib/auth/service-tokens";
import { createUser } from "../lib/auth/users";
import { auditVocabulary, listAuditEvents, recordAuditEvent } from "../lib/audit";
import { createBenchDatabase, describeServer } from "./bench-database";
import { formatTable, machineDescription, writeBenchResult } from "./bench-result";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const CALLS = 500;
const ORIGIN = "http://bench.test";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(times: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

process.env.BETTER_AUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
const created = await createBenchDatabase();
const db = await connectDatabase({ url: created.url });
try {
  console.log(`auth bench on ${describeServer(created.url)}`);
  await createUser(db, { email: "bench@auth.test", password: "bench-password", role: "curator" });
  const auth = authFor(db);
  const signIn = () =>
    auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: ORIGIN,
          "x-finemed-client-address": `10.${Math.floor(Math.random() * 250)}.0.1`,
        },
        body: JSON.stringify({ email: "bench@auth.test", password: "bench-password" }),
      }),
    );
  const signInTimes = await timed(20, signIn);
  const cookie = (await signIn()).headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  // Without a cookie the session check returns before any lookup and would time nothing.
  if (!cookie) throw new Error("the bench sign-in got no session cookie (rate-limited?)");
  const { token } = await createServiceToken(db, { name: "bench", role: "curator" }, "bench");
  const sessionCheck = await timed(CALLS, () => identifyRequest(db, new Headers({ cookie })));
  const tokenCheck = await timed(CALLS, () => identifyRequest(db, new Headers({ authorization: `Bearer ${token}` })));
  const auditInsert = await timed(CALLS, () =>
    recordAuditEvent(db, {
      actor: { name: "bench", role: "curator" },
      action: "labels.relabel",
      subject: { type: "label", id: 1 },
      details: { reason: "bench" },
    }),
  );

  let started = performance.now();
  await db.pool.query(
    `INSERT INTO audit_events (at, actor, actor_role, action, subject_type, subject_id, details, via)
     SELECT now() - (($1 - i) * interval '1 second'), 'user' || (i % 50) || '@bench.test', 'curator',
            (ARRAY['labels.relabel','labels.bulk-relabel','runs.start','runs.pause','datasets.approve','taxonomy.add','corpus.import','datasets.export'])[1 + i % 8],
            'run', (i % 5000)::text, jsonb_build_object('i', i), 'web'
     FROM generate_series(1, $1) AS i`,
    [EVENTS],
  );
  await db.pool.query("ANALYZE audit_events");
  const seedSeconds = (performance.now() - started) / 1000;
  const deep = (await db.pool.query<{ id: number }>("SELECT id FROM audit_events ORDER BY id OFFSET $1 LIMIT 1", [Math.floor(EVENTS / 10)]))
    .rows[0]!.id;
  const queries = {
    newest: await timed(20, () => listAuditEvents(db, { limit: 50 })),
    byActor: await timed(20, () => listAuditEvents(db, { actor: "user7@bench.test", limit: 50 })),
    byActionPrefix: await timed(20, () => listAuditEvents(db, { action: "datasets.*", limit: 50 })),
    bySubject: await timed(20, () => listAuditEvents(db, { subjectType: "run", subjectId: "42", limit: 50 })),
    lastHour: await timed(20, () => listAuditEvents(db, { from: new Date(Date.now() - 3_600_000).toISOString(), limit: 50 })),
    deepKeysetPage: await timed(20, () => listAuditEvents(db, { before: String(deep), limit: 50 })),
    rareAction: await timed(5, () => listAuditEvents(db, { action: "users.create", limit: 50 })),
    filterPickers: await timed(5, () => auditVocabulary(db)),
  };
  started = performance.now();
  const ms = (value: number) => value.toFixed(2);
  console.log(
    formatTable(
      ["measure", "p50 ms", "p95 ms"],
      [
        ["sign-in (scrypt + session insert)", ms(signInTimes.p50), ms(signInTimes.p95)],
        ["identity: session cookie", ms(sessionCheck.p50), ms(sessionCheck.p95)],
        ["identity: service token", ms(tokenCheck.p50), ms(tokenCheck.p95)],
        ["audit insert", ms(auditInsert.p50), ms(auditInsert.p95)],
        ...Object.entries(queries).map(([name, t]) => [`audit page (${EVENTS.toLocaleString()} events): ${name}`, ms(t.p50), ms(t.p95)]),
      ],
    ),
  );
  console.log(`seeded ${EVENTS.toLocaleString()} events in ${seedSeconds.toFixed(1)} s`);
  const path = await writeBenchResult("auth", {
    machine: machineDescription(),
    server: describeServer(created.url),
    events: EVENTS,
    signIn: signInTimes,
    sessionCheck,
    tokenCheck,
    auditInsert,
    queries,
  });
  console.log(`wrote ${path}`);
} finally {
  await db.close();
  await created.drop();
}
