import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite session to many loopback connections. Written instead of using pglite-socket's
 * server because that one queues single protocol messages, so two clients' extended-query sequences
 * (Parse/Bind/Execute/Sync) interleave and fail ("bind message supplies 1 parameters…"). Here a
 * connection holds the session for a whole sequence up to Sync or Query, and for as long as it has a
 * transaction open; the others wait their turn.
 *
 * Because every client shares that one session, this front also guards it: a client must present the
 * password (MD5 challenge, which node-postgres and psql answer) before anything reaches PGlite; a client
 * idle inside a transaction is disconnected (and rolled back) after `idleInTransactionMs`; and
 * statements that would change the session for everyone (SET without LOCAL, RESET, DISCARD,
 * set_config(…, false)) are refused.
 */
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSS_REQUEST = 80877104;
const SEQUENCE_ENDS = new Set(["S".charCodeAt(0), "Q".charCodeAt(0)]);
const FLUSH = "H".charCodeAt(0);
const TERMINATE = "X".charCodeAt(0);
const SYNC = "S".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);
const PARSE = "P".charCodeAt(0);
const PASSWORD = "p".charCodeAt(0);
const AUTHENTICATION_TIMEOUT_MS = 10_000;
// Startup parameters that may reach PGlite; others (options=-c …, statement_timeout …) would set the shared session.
const FORWARDED_STARTUP_PARAMETERS = new Set(["user", "database"]);

export interface WireServerOptions {
  host?: string;
  /** The password every client must present (any user name). */
  password: string;
  /** A client holding the session inside a transaction this long without sending anything is disconnected. */
  idleInTransactionMs: number;
}

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

function cString(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, "utf8"), Buffer.from([0])]);
}

function backendMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function errorResponse(severity: "ERROR" | "FATAL", code: string, message: string): Buffer {
  const fields = [`S${severity}`, `V${severity}`, `C${code}`, `M${message}`].map(cString);
  return backendMessage("E", Buffer.concat([...fields, Buffer.from([0])]));
}

function readyForQuery(status: "I" | "T"): Buffer {
  return backendMessage("Z", Buffer.from(status, "latin1"));
}

function md5Hex(value: Buffer | string): string {
  return createHash("md5").update(value).digest("hex");
}

/** The startup message's parameters (after length and protocol version). */
function startupParameters(startup: Buffer): Map<string, string> {
  const parameters = new Map<string, string>();
  const parts = startup.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < parts.length && parts[i] !== ""; i += 2) parameters.set(parts[i]!, parts[i + 1]!);
  return parameters;
}

function startupMessage(protocol: number, parameters: Map<string, string>): Buffer {
  const pairs = [...parameters]
    .filter(([name]) => FORWARDED_STARTUP_PARAMETERS.has(name))
    .flatMap(([name, value]) => [cString(name), cString(value)]);
  const body = Buffer.concat([...pairs, Buffer.from([0])]);
  const header = Buffer.alloc(8);
  header.writeInt32BE(body.length + 8, 0);
  header.writeInt32BE(protocol, 4);
  return Buffer.concat([header, body]);
}

// Settings that change how fast, never what, another client's statements do (bench/ and tests' bulk loaders use them).
const HARMLESS_SETTING = /^SET\s+(SESSION\s+)?(synchronous_commit|work_mem|maintenance_work_mem)\s*(=|TO\s)/i;

/**
 * Why a statement may not run on the shared session, or null. SQL is split naively on ";" (a literal
 * holding "; set …" is refused too, which errs on the safe side).
 */
export function sessionAlteringReason(sql: string): string | null {
  for (const statement of sql.split(";")) {
    const text = statement
      .replace(/--[^\n]*/g, " ")
      .replace(/\/\*[\s\S]*?\*\//g, " ")
      .trim();
    if (/^(SET|RESET)\s/i.test(text) && !/^SET\s+LOCAL\s/i.test(text) && !HARMLESS_SETTING.test(text)) {
      const shown = text.split(/\s+/).slice(0, 3).join(" ");
      return `"${shown}" would change the session every client of the embedded database shares; use SET LOCAL inside a transaction`;
    }
    if (/^DISCARD\s/i.test(text)) return "DISCARD would reset the session every client of the embedded database shares";
    if (/set_config\s*\([^)]*,\s*false\s*\)/i.test(text)) {
      return "set_config(…, false) would change the session every client of the embedded database shares; pass true (transaction-local)";
    }
  }
  return null;
}

/** The SQL text of a Query or Parse message. */
function statementText(message: Buffer): string | null {
  if (message[0] === QUERY) return message.subarray(5, message.length - 1).toString("utf8");
  if (message[0] === PARSE) {
    const nameEnd = message.indexOf(0, 5);
    const queryEnd = message.indexOf(0, nameEnd + 1);
    return nameEnd < 0 || queryEnd < 0 ? null : message.subarray(nameEnd + 1, queryEnd).toString("utf8");
  }
  return null;
}

type Phase = "startup" | "password" | "ready";

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private phase: Phase = "startup";
  private startup: Buffer | null = null;
  private user = "";
  private readonly salt = randomBytes(4);
  private sequence: Buffer[] = [];
  /** Set after a refused Parse: the rest of the sequence is dropped up to its Sync, as PostgreSQL does after an error. */
  private discardingUntilSync = false;
  private work: Promise<void> = Promise.resolve();
  /** Scheduled turns not yet finished: a connection with work queued is not idle. */
  private pending = 0;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly authenticationTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly lock: SessionLock,
    private readonly options: WireServerOptions,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
    this.authenticationTimer = setTimeout(() => this.socket.destroy(), AUTHENTICATION_TIMEOUT_MS);
    this.authenticationTimer.unref();
  }

  private receive(chunk: Buffer): void {
    this.disarmIdleTimer();
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.closed) return;
      if (this.phase === "startup") {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          this.buffer = this.buffer.subarray(8);
          this.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.buffer = this.buffer.subarray(length);
          continue;
        }
        if (length < 8 || length > 10_000) return this.refuse("08P01", "invalid startup packet");
        if (this.buffer.length < length) return;
        const parameters = startupParameters(this.buffer.subarray(0, length));
        this.startup = startupMessage(code, parameters);
        this.user = parameters.get("user") ?? "";
        this.buffer = this.buffer.subarray(length);
        this.phase = "password";
        // AuthenticationMD5Password with this connection's salt.
        const request = Buffer.alloc(8);
        request.writeInt32BE(5, 0);
        this.salt.copy(request, 4);
        this.socket.write(backendMessage("R", request));
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = this.buffer[0]!;
      const total = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < total) return;
      const message = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      if (this.phase === "password") {
        if (type !== PASSWORD || !this.passwordMatches(message.subarray(5, total - 1))) {
          return this.refuse("28P01", `password authentication failed for user "${this.user}"`);
        }
        clearTimeout(this.authenticationTimer);
        this.phase = "ready";
        this.sequence.push(this.startup!);
        this.schedule(true);
        continue;
      }
      if (type === TERMINATE) {
        this.socket.end();
        return;
      }
      if (this.discardingUntilSync) {
        if (type === SYNC) {
          this.discardingUntilSync = false;
          this.answer(null, true);
        }
        continue;
      }
      const sql = statementText(message);
      const refusal = sql === null ? null : sessionAlteringReason(sql);
      if (refusal !== null) {
        if (this.sequence.length > 0) this.schedule(false);
        if (type === PARSE) {
          this.discardingUntilSync = true;
          this.answer(refusal, false);
        } else this.answer(refusal, true);
        continue;
      }
      this.sequence.push(message);
      if (SEQUENCE_ENDS.has(type)) this.schedule(true);
      else if (type === FLUSH) this.schedule(false);
    }
  }

  private passwordMatches(sent: Buffer): boolean {
    const expected = Buffer.from(`md5${md5Hex(Buffer.concat([Buffer.from(md5Hex(this.options.password + this.user)), this.salt]))}`);
    return sent.length === expected.length && timingSafeEqual(sent, expected);
  }

  /** Ends the connection with a FATAL error, as PostgreSQL does for a failed login. */
  private refuse(code: string, message: string): void {
    this.socket.end(errorResponse("FATAL", code, message));
    this.close();
  }

  /** Answers in turn, without PGlite, a refused statement (an error) and/or the end of its sequence. */
  private answer(error: string | null, ready: boolean): void {
    this.pending++;
    this.work = this.work.then(() => {
      this.pending--;
      if (this.closed || this.socket.destroyed) return;
      if (error !== null) this.socket.write(errorResponse("ERROR", "0A000", error));
      if (!ready) return;
      const inTransaction = this.lock.holds(this) && this.db.isInTransaction();
      this.socket.write(readyForQuery(inTransaction ? "T" : "I"));
      if (this.lock.holds(this) && !inTransaction) this.lock.release(this);
      this.armIdleTimer();
    });
  }

  /** Runs the buffered messages; `complete` sequences may give the session back. */
  private schedule(complete: boolean): void {
    const messages = Buffer.concat(this.sequence);
    this.sequence = [];
    this.pending++;
    this.work = this.work.then(async () => {
      if (this.closed) {
        this.pending--;
        return;
      }
      await this.lock.acquire(this);
      if (this.closed) {
        this.pending--;
        this.lock.release(this);
        return;
      }
      try {
        await this.db.execProtocolRawStream(new Uint8Array(messages), {
          // `reply` is a view of PGlite's send buffer, which it refills for the next chunk as soon as this
          // returns; a socket whose kernel buffer is full queues what it is given by reference, so a large
          // reply (a 4 MiB bytea while another client kept the loop busy) reached the client overwritten
          // and node-postgres waited forever for a message that never ended. Copy before queueing.
          onRawData: (reply) => {
            if (!this.socket.destroyed) this.socket.write(Buffer.from(reply));
          },
        });
      } catch {
        this.socket.destroy();
      }
      this.pending--;
      if (complete && !this.db.isInTransaction()) this.lock.release(this);
      this.armIdleTimer();
    });
  }

  /** A connection keeping the session (open transaction, unfinished sequence) while silent is cut off in time. */
  private armIdleTimer(): void {
    this.disarmIdleTimer();
    if (this.closed || this.pending > 0 || !this.lock.holds(this) || this.options.idleInTransactionMs <= 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.closed || this.pending > 0 || !this.lock.holds(this)) return;
      const seconds = Math.round(this.options.idleInTransactionMs / 100) / 10;
      this.socket.end(
        errorResponse(
          "FATAL",
          "25P03",
          `terminating connection: idle inside a transaction for ${seconds} s while every other client of the embedded database waited`,
        ),
      );
      this.close();
    }, this.options.idleInTransactionMs);
    this.idleTimer.unref();
  }

  private disarmIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.disarmIdleTimer();
    clearTimeout(this.authenticationTimer);
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

export async function serveEmbedded(db: PGlite, options: WireServerOptions): Promise<WireServer> {
  const lock = new SessionLock();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new Connection(socket, db, lock, options);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host ?? "127.0.0.1", () => resolve());
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
