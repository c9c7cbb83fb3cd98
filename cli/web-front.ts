import { createServer } from "node:http";
import next from "next";
import { stampClientAddress, trustedProxies } from "../lib/auth/client-address";

/**
 * The studio's web server: Next's request handler behind a plain Node HTTP server, instead of
 * `next start`, because only here is the connection's own address known. Every request gets it
 * stamped (lib/auth/client-address.ts) before Next sees it, so the sign-in rate limit counts clients by
 * the address they connect from, not by an X-Forwarded-For header they can write themselves.
 */
export async function serveWebFront(options: { port: number; hostname: string }): Promise<() => Promise<void>> {
  const trusted = trustedProxies();
  const app = next({ dev: false, dir: process.cwd(), hostname: options.hostname, port: options.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((request, response) => {
    stampClientAddress(request, trusted);
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
  };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Run as a child of `finemed serve` (bin/finemed-web.js --port N --hostname H). */
export async function main(): Promise<void> {
  const port = Number(argument("--port") ?? process.env.PORT ?? 3000);
  const hostname = argument("--hostname") ?? "127.0.0.1";
  const stop = await serveWebFront({ port, hostname });
  process.stdout.write(`finemed: web server ready on ${hostname}:${port}\n`);
  const shutdown = () => void stop().finally(() => process.exit(0));
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
