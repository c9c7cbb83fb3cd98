import { Agent, createServer, request as forward } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A server that works on `capacity` requests at once and queues the rest, as vLLM does with
 * --max-num-seqs. Without it the only cap is the client's, which is per role: five roles at 512 each
 * would put up to 2,560 requests on the simulator and the 512 requests/s ideal would mean nothing.
 * An agent with `capacity` sockets is the queue; the simulator behind it sees at most that many.
 */

export interface CapacityFront {
  url: string;
  maxOutstanding(): number;
  resetMaxOutstanding(): void;
  close(): Promise<void>;
}

export async function startCapacityFront(simulatorUrl: string, capacity: number): Promise<CapacityFront> {
  const target = new URL(simulatorUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: capacity });
  let outstanding = 0;
  let maxOutstanding = 0;
  const server = createServer((req, res) => {
    outstanding++;
    maxOutstanding = Math.max(maxOutstanding, outstanding);
    res.once("close", () => outstanding--);
    const upstream = forward(
      { agent, host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.once("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    maxOutstanding: () => maxOutstanding,
    resetMaxOutstanding: () => {
      maxOutstanding = outstanding;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
