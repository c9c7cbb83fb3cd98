import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A real single-node Slurm (Debian's slurm-wlm 22.05) on localhost for one test file: its own munge
 * daemon, key and socket, its own slurmctld and slurmd on free ports, state and spool in a temporary
 * directory, so several can run at once without touching a system-wide Slurm. Clients reach it
 * through SLURM_CONF (see `env`).
 */
export interface LocalSlurm {
  dir: string;
  /** The slurm.conf clients (sbatch, squeue, scontrol, sacct, scancel) must use. */
  conf: string;
  /** Environment for Slurm clients: SLURM_CONF pointing at this cluster. */
  env: Record<string, string>;
  nodeName: string;
  /** slurmrestd on localhost (JWT auth, as user slurm), when started with { restd: true }. */
  restd: { url: string; userName: string; token: string } | null;
  stop(): Promise<void>;
}

const BINARIES = ["sbatch", "slurmctld", "slurmd", "munged", "squeue", "scontrol", "scancel", "sinfo", "sacct"];

function found(binary: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${binary} || test -x /usr/sbin/${binary}`], { stdio: "ignore" }).status === 0;
}

/**
 * Why the Slurm tests cannot run here, or null when they can. Only a developer machine without
 * slurm-wlm may skip them: in CI (CI set) a missing Slurm is a failure, not a skip.
 */
export function slurmUnavailable(): string | null {
  const missing = BINARIES.filter((binary) => !found(binary));
  if (missing.length === 0) return null;
  const reason = `Slurm is not installed (missing ${missing.join(", ")}): apt-get install -y slurm-wlm munge`;
  if (process.env.CI) throw new Error(`${reason}; CI must run the training tests`);
  return reason;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sbin(name: string): string {
  return existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : name;
}

function userId(name: string): { uid: number; gid: number } {
  const out = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const group = spawnSync("id", ["-g", name], { encoding: "utf8" });
  return { uid: Number(out.stdout.trim()), gid: Number(group.stdout.trim()) };
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`local Slurm: ${what} did not happen within ${timeoutMs / 1000} s\n${logs()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts munged, slurmctld and slurmd (as root, as VERIFIED.md), and waits until the node is idle. */
export async function startLocalSlurm(options: { restd?: boolean } = {}): Promise<LocalSlurm> {
  const dir = mkdtempSync(join(tmpdir(), "finemed-slurm-"));
  chmodSync(dir, 0o755);
  const munge = userId("munge");
  const mungeDir = join(dir, "munge");
  mkdirSync(mungeDir, { mode: 0o711 });
  const key = join(mungeDir, "munge.key");
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  for (const path of [mungeDir, key]) chownSync(path, munge.uid, munge.gid);
  chmodSync(mungeDir, 0o711);
  const socket = join(mungeDir, "munge.socket");
  for (const sub of ["state", "spool", "log"]) mkdirSync(join(dir, sub));

  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  // A unique node name per cluster: slurmd is told which node it is (-N), so no hostname lookup.
  const nodeName = `fm${randomBytes(3).toString("hex")}`;
  const cpus = Math.max(1, Number(spawnSync("nproc", { encoding: "utf8" }).stdout.trim()) || 1);
  const conf = join(dir, "slurm.conf");
  if (options.restd) writeFileSync(join(dir, "jwt.key"), randomBytes(32), { mode: 0o600 });
  writeFileSync(
    conf,
    [
      `ClusterName=fm${randomBytes(2).toString("hex")}`,
      // slurmctld only runs on the host its config names.
      `SlurmctldHost=${hostname().split(".")[0]}(127.0.0.1)`,
      "MailProg=/bin/true",
      // slurmrestd over TCP authenticates with JWTs signed by this key (VERIFIED.md).
      ...(options.restd ? ["AuthAltTypes=auth/jwt", `AuthAltParameters=jwt_key=${join(dir, "jwt.key")}`] : []),
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      "SlurmUser=root",
      "SlurmdUser=root",
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${join(dir, "state")}`,
      `SlurmdSpoolDir=${join(dir, "spool")}`,
      `SlurmctldPidFile=${join(dir, "slurmctld.pid")}`,
      `SlurmdPidFile=${join(dir, "slurmd.pid")}`,
      `SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}`,
      `SlurmdLogFile=${join(dir, "log", "slurmd.log")}`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_Core",
      "ReturnToService=2",
      "MpiDefault=none",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "JobCompType=jobcomp/filetxt",
      `JobCompLoc=${join(dir, "log", "jobcomp.txt")}`,
      // Short intervals: a dependant starts soon after its parent ends, a finished job stays visible to scontrol.
      "SchedulerParameters=sched_interval=1,sched_min_interval=100000,batch_sched_delay=0,default_queue_depth=20",
      "MessageTimeout=5",
      "MinJobAge=600",
      "SlurmctldDebug=info",
      "SlurmdDebug=info",
      `NodeName=${nodeName} NodeAddr=127.0.0.1 Port=${slurmdPort} CPUs=${cpus} RealMemory=1000 State=UNKNOWN`,
      `PartitionName=debug Nodes=${nodeName} Default=YES MaxTime=INFINITE State=UP`,
      "",
    ].join("\n"),
  );
  const env = { SLURM_CONF: conf };
  const daemonEnv = { ...process.env, ...env };
  const children: ChildProcess[] = [];
  let restd: LocalSlurm["restd"] = null;
  const logs = () => {
    const read = (name: string) =>
      spawnSync("tail", ["-n", "20", name === "munged.log" ? join(mungeDir, name) : join(dir, "log", name)], { encoding: "utf8" }).stdout;
    return `--- slurmctld.log\n${read("slurmctld.log")}--- slurmd.log\n${read("slurmd.log")}--- munged.log\n${read("munged.log")}`;
  };
  const stop = async () => {
    // Jobs first (their slurmstepd outlive slurmd), then the daemons we started, newest first.
    spawnSync("scancel", ["--quiet", "--full", `--partition=debug`], { env: daemonEnv, timeout: 10_000 });
    for (const child of [...children].reverse()) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    children.push(
      spawn(
        sbin("munged"),
        [
          "--foreground",
          `--key-file=${key}`,
          `--socket=${socket}`,
          `--pid-file=${join(mungeDir, "munged.pid")}`,
          `--log-file=${join(mungeDir, "munged.log")}`,
          `--seed-file=${join(mungeDir, "munged.seed")}`,
          "--force",
        ],
        // munged refuses to run as root; it runs as the munge user that owns its key.
        { stdio: "ignore", env: daemonEnv, uid: munge.uid, gid: munge.gid },
      ),
    );
    await waitFor("munged socket", () => existsSync(socket), 15_000, logs);
    children.push(spawn(sbin("slurmctld"), ["-D", "-i", "-f", conf], { stdio: "ignore", env: daemonEnv }));
    children.push(spawn(sbin("slurmd"), ["-D", "-N", nodeName, "-f", conf], { stdio: "ignore", env: daemonEnv }));
    await waitFor(
      "node idle",
      () => {
        const info = spawnSync("sinfo", ["-h", "-N", "-o", "%T"], { env: daemonEnv, encoding: "utf8", timeout: 5_000 });
        return info.status === 0 && info.stdout.trim() === "idle";
      },
      60_000,
      logs,
    );
    if (options.restd) restd = await startRestd(dir, conf, daemonEnv, children, logs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { dir, conf, env, nodeName, restd, stop };
}

/** slurmrestd refuses to run as root: it runs as the slurm user, with SLURM_JWT=daemon (VERIFIED.md). */
async function startRestd(
  dir: string,
  conf: string,
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
  logs: () => string,
): Promise<LocalSlurm["restd"]> {
  const slurm = userId("slurm");
  const port = await freePort();
  const child = spawn(sbin("slurmrestd"), ["-f", conf, "-s", "openapi/v0.0.38", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...env, SLURM_JWT: "daemon" },
    uid: slurm.uid,
    gid: slurm.gid,
    cwd: dir,
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  children.push(child);
  const issued = spawnSync("scontrol", ["token", "username=slurm", "lifespan=3600"], { env, encoding: "utf8" });
  const token = /SLURM_JWT=(\S+)/.exec(issued.stdout)?.[1];
  if (!token) throw new Error(`local Slurm: scontrol token failed: ${issued.stderr}`);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await fetch(`${url}/slurm/v0.0.38/ping`, {
      headers: { "X-SLURM-USER-NAME": "slurm", "X-SLURM-USER-TOKEN": token },
    }).catch(() => null);
    if (answer?.ok) break;
    if (Date.now() > deadline)
      throw new Error(`local Slurm: slurmrestd did not answer: ${answer?.status ?? "no connection"} ${stderr}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, userName: "slurm", token };
}
