import { getEventListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BackendError } from "./backend-error";
import { sendHttp, type HttpAttempt } from "./transport";

// What client.test.ts cannot see from above: sockets are reused after error answers, a caller's abort
// comes back as its own reason and leaves no listener behind, and bodies survive chunk boundaries.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function server(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const http = createServer(handle);
  http.on("connection", () => connections++);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, connections: () => connections };
}

const attempt = (url: string, extra: Partial<HttpAttempt> = {}): HttpAttempt => ({
  url: `${url}/v1/x`,
  method: "POST",
  endpoint: "/v1/x",
  body: "{}",
  timeoutMs: 5_000,
  ...extra,
});

describe("sendHttp", () => {
  it("reads error bodies fully and reuses sockets after error answers", async () => {
    const sim = await server((req, res) => {
      req.resume();
      res.writeHead(503, { "retry-after": "7", "content-type": "application/json" });
      res.end(JSON.stringify({ error: "x".repeat(100_000) }));
    });
    for (let i = 0; i < 20; i++) {
      const reply = await sendHttp(attempt(sim.url));
      expect(reply).toMatchObject({ status: 503, retryAfter: "7" });
      expect(reply.text).toHaveLength(100_012);
    }
    // Not 20. undici opens a second socket once, for the call that follows the very first one while the
    // pool still counts the first socket busy; after that the two are reused.
    expect(sim.connections()).toBeLessThanOrEqual(2);
  });

  it("decodes multi-byte text split across chunks", async () => {
    const text = "é🙂".repeat(5_000);
    const bytes = Buffer.from(text, "utf8");
    const sim = await server((req, res) => {
      req.resume();
      res.writeHead(200, { "content-length": String(bytes.length) });
      // An odd cut lands inside a character.
      res.write(bytes.subarray(0, 1_001));
      setTimeout(() => res.end(bytes.subarray(1_001)), 5);
    });
    expect((await sendHttp(attempt(sim.url))).text).toBe(text);
  });

  it("hands a caller's abort back as its reason, not as a backend error, and cleans up", async () => {
    const sim = await server((req) => req.resume());
    const caller = new AbortController();
    const reason = new Error("run cancelled");
    setTimeout(() => caller.abort(reason), 50);
    await expect(sendHttp(attempt(sim.url, { signal: caller.signal }))).rejects.toBe(reason);
    await expect(sendHttp(attempt(sim.url, { signal: caller.signal }))).rejects.toBe(reason);

    const longLived = new AbortController();
    const ok = await server((req, res) => {
      req.resume();
      res.end("{}");
    });
    for (let i = 0; i < 5; i++) await sendHttp(attempt(ok.url, { signal: longLived.signal }));
    expect(getEventListeners(longLived.signal, "abort")).toHaveLength(0);
  });

  it("classifies refused connections and redacts the key", async () => {
    const gone = await server(() => undefined);
    await cleanups.splice(0)[0]?.();
    const error = await sendHttp(attempt(gone.url, { apiKey: "sk-secret" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind: "connection" });
    expect(String((error as BackendError).message)).not.toContain("sk-secret");
  });
});
