import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "./support/test-database";
import { authFor } from "../lib/auth/auth";
import { createUser } from "../lib/auth/users";
import { clientAddress, stampClientAddress, trustedProxies } from "../lib/auth/client-address";

/**
 * Issue 14, finding 3: the sign-in limit is keyed on the address the connection comes from, unless it
 * comes through a trusted proxy, and each account has a limit of its own. Requests go over real
 * sockets through the same stamping the studio's web front does (cli/web-front.ts), into better-auth.
 */
let db: TestDatabase;

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  db = await openTestDatabase();
  await createUser(db, { email: "target@example.org", password: "target-pass-1", role: "admin" });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

/** A web front on loopback: stamps the client address as the studio's does, then hands the request to better-auth. */
async function startFront(trustedProxyList: string): Promise<{ url: string; close(): Promise<void> }> {
  const trusted = trustedProxies({ FINEMED_TRUSTED_PROXIES: trustedProxyList });
  const server: Server = createServer((request, response) => {
    stampClientAddress(request, trusted);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
      const body = Buffer.concat(chunks);
      void authFor(db)
        .handler(new Request(`http://studio.test${request.url}`, { method: request.method, headers, ...(body.length > 0 ? { body } : {}) }))
        .then(async (answer) => {
          response.writeHead(answer.status, Object.fromEntries(answer.headers));
          response.end(Buffer.from(await answer.arrayBuffer()));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function signIn(front: string, email: string, password: string, forwardedFor: string): Promise<Response> {
  return fetch(`${front}/api/auth/sign-in/email`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: "http://studio.test",
      "x-forwarded-for": forwardedFor,
      "x-finemed-client-address": forwardedFor,
    },
    body: JSON.stringify({ email, password }),
  });
}

describe("the sign-in rate limit", () => {
  it("reaches 429 for 30 guesses sent with 30 different X-Forwarded-For (and client-address) headers from one connection address", async () => {
    const front = await startFront("");
    try {
      const statuses: number[] = [];
      // A different account each time, so only the per-address limit can stop them.
      for (let i = 0; i < 30; i++)
        statuses.push((await signIn(front.url, `nobody-${i}@example.org`, "guess", `203.0.113.${i + 1}`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    } finally {
      await front.close();
    }
  });

  it("believes X-Forwarded-For from a trusted proxy, and then limits each account: 10 failures lock it (429) whatever the address", async () => {
    const front = await startFront("127.0.0.1");
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await signIn(front.url, "target@example.org", `wrong-${i}`, `198.51.100.${i + 1}`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);
      // Locked even with the right password, from a fresh address; the answer says why and for how long.
      const locked = await signIn(front.url, "target@example.org", "target-pass-1", "198.51.100.200");
      expect(locked.status).toBe(429);
      expect(((await locked.json()) as { message: string }).message).toMatch(/too many failed sign-ins for this account/);
      expect(Number(locked.headers.get("x-retry-after"))).toBeGreaterThan(800);
      // Other accounts are unaffected, and the addresses behind the proxy were told apart (no per-address 429).
      await createUser(db, { email: "other@example.org", password: "other-pass-1", role: "viewer" });
      expect((await signIn(front.url, "other@example.org", "other-pass-1", "198.51.100.1")).status).toBe(200);
    } finally {
      await front.close();
    }
  });

  it("takes the client address from the connection unless the peer is a trusted proxy", () => {
    const trusted = trustedProxies({ FINEMED_TRUSTED_PROXIES: "10.0.0.5, 10.1.0.0/16" });
    expect(clientAddress("192.0.2.7", "1.2.3.4", trusted)).toBe("192.0.2.7");
    expect(clientAddress("::ffff:192.0.2.7", undefined, null)).toBe("192.0.2.7");
    expect(clientAddress("10.0.0.5", "1.2.3.4, 192.0.2.9", trusted)).toBe("192.0.2.9");
    expect(clientAddress("10.0.0.5", "192.0.2.9, 10.1.3.4", trusted)).toBe("192.0.2.9");
    expect(clientAddress("10.0.0.5", "not-an-address", trusted)).toBe("10.0.0.5");
    expect(() => trustedProxies({ FINEMED_TRUSTED_PROXIES: "proxy.example" })).toThrow(/not an IP address/);
  });
});
