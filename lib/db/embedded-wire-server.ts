import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite session to many loopback connections. Written instead of using pglite-socket's
 * server because that one queues single protocol messages, so two clients' extended-query sequences
 * (Parse/Bind/Execute/Sync) interleave and fail ("bind message supplies 1 parameters…"). Here a
 * connection holds the session for a whole sequence up to Sync or Query, and for as long as it has a
 * transaction open; the others wait their turn.
 */
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const SEQUENCE_ENDS = new Set(["S".charCodeAt(0), "Q".charCodeAt(0)]);
const FLUSH = "H".charCodeAt(0);
const TERMINATE = "X".charCodeAt(0);

class SessionLock {
  private holder: Connection | null = null;
  private waiting: { connection: Connection; grant: () => void }[] = [];

  acquire(connection: Connection): Promise<void> {
    if (this.holder === null || this.holder === connection) {
      this.holder = connection;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ connection, grant }));
  }

  release(connection: Connection): void {
    if (this.holder !== connection) return;
    const next = this.waiting.shift();
    this.holder = next?.connection ?? null;
    next?.grant();
  }

  forget(connection: Connection): void {
    this.waiting = this.waiting.filter((entry) => entry.connection !== connection);
    this.release(connection);
  }

  holds(connection: Connection): boolean {
    return this.holder === connection;
  }
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private sequence: Buffer[] = [];
  private work: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly lock: SessionLock,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (code === SSL_REQUEST) {
          this.buffer = this.buffer.subarray(8);
          this.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.buffer = this.buffer.subarray(length);
          continue;
        }
        if (this.buffer.length < length) return;
        const startup = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        this.started = true;
        this.sequence.push(startup);
        this.schedule(true);
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = this.buffer[0]!;
      const total = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < total) return;
      const message = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      if (type === TERMINATE) {
        this.socket.end();
        return;
      }
      this.sequence.push(message);
      if (SEQUENCE_ENDS.has(type)) this.schedule(true);
      else if (type === FLUSH) this.schedule(false);
    }
  }

  /** Runs the buffered messages; `complete` sequences may give the session back. */
  private schedule(complete: boolean): void {
    const messages = Buffer.concat(this.sequence);
    this.sequence = [];
    this.work = this.work.then(async () => {
      if (this.closed) return;
      await this.lock.acquire(this);
      if (this.closed) {
        this.lock.release(this);
        return;
      }
      try {
        await this.db.execProtocolRawStream(new Uint8Array(messages), {
          onRawData: (reply) => {
            if (!this.socket.destroyed) this.socket.write(reply);
          },
        });
      } catch {
        this.socket.destroy();
      }
      if (complete && !this.db.isInTransaction()) this.lock.release(this);
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.work = this.work.then(async () => {
      // A client that vanished mid-transaction (killed process) must not leave the session inside it.
      if (this.lock.holds(this) && this.db.isInTransaction()) await this.db.exec("ROLLBACK").catch(() => undefined);
      this.lock.forget(this);
    });
  }
}

export interface WireServer {
  port: number;
  stop(): Promise<void>;
}

export async function serveEmbedded(db: PGlite, host = "127.0.0.1"): Promise<WireServer> {
  const lock = new SessionLock();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new Connection(socket, db, lock);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== "object") throw new Error("embedded database server has no address");
  return {
    port: address.port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
