import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/**
 * The address a request came from, as the sign-in rate limit and the sessions table see it. Route
 * handlers get no socket, so the studio's web front (cli/web-front.ts) stamps this header on every
 * request from the connection's own address, replacing whatever the client sent. X-Forwarded-For is
 * believed only when the connection comes from an address in FINEMED_TRUSTED_PROXIES.
 */
export const CLIENT_ADDRESS_HEADER = "x-finemed-client-address";

type Environment = Readonly<Record<string, string | undefined>>;

/** FINEMED_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (e.g. 10.0.0.5, 10.1.0.0/16, ::1); null when unset. */
export function trustedProxies(env: Environment = process.env): BlockList | null {
  const entries = (env.FINEMED_TRUSTED_PROXIES ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const family = isIP(plainAddress(address));
    if (family === 0 || (prefix !== undefined && !/^\d+$/.test(prefix))) {
      throw new Error(`FINEMED_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(plainAddress(address), type);
    else list.addSubnet(plainAddress(address), Number(prefix), type);
  }
  return list;
}

/** "::ffff:127.0.0.1" (an IPv4 peer on a dual-stack socket) as "127.0.0.1". */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (entries further left are the client's to write).
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: BlockList | null): string {
  let address = plainAddress(peer);
  if (trusted === null || !isTrusted(address, trusted)) return address;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => plainAddress(hop.trim()))
    .filter((hop) => hop !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return address;
}

/** Replaces any client-sent CLIENT_ADDRESS_HEADER with the address this connection proves. */
export function stampClientAddress(request: IncomingMessage, trusted: BlockList | null): void {
  const forwarded = request.headers["x-forwarded-for"];
  const forwardedFor = Array.isArray(forwarded) ? forwarded.join(",") : forwarded;
  request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request.socket.remoteAddress ?? "", forwardedFor, trusted);
}
