import { spawn } from "node:child_process";
import { ClusterError } from "./training-errors";
import { shellCommand } from "./shell-quote";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Slurm client command (sbatch, scontrol, …) somewhere: on this machine or over ssh. */
export interface CommandTransport {
  readonly kind: "local" | "ssh";
  run(argv: readonly string[], input?: string): Promise<CommandResult>;
}

const COMMAND_TIMEOUT_MS = 60_000;

function spawnCommand(program: string, args: readonly string[], env: NodeJS.ProcessEnv, input: string | undefined): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ["pipe", "pipe", "pipe"], timeout: COMMAND_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error) => reject(new ClusterError(`could not run ${program}: ${error.message}`)));
    child.once("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

/** The Slurm clients of this machine; `env` (e.g. SLURM_CONF) is added to the studio's environment. */
export function localTransport(env: Record<string, string>): CommandTransport {
  return {
    kind: "local",
    run: (argv, input) => spawnCommand(argv[0]!, argv.slice(1), { ...process.env, ...env }, input),
  };
}

export interface SshTarget {
  host: string;
  user: string | null;
  port: number | null;
}

/**
 * The same commands on a login node over ssh (keys from the studio user's ssh agent or config;
 * BatchMode so a missing key fails instead of prompting). The remote shell gets one quoted line.
 */
export function sshTransport(target: SshTarget, env: Record<string, string>): CommandTransport {
  const destination = target.user ? `${target.user}@${target.host}` : target.host;
  const prefix = Object.keys(env).length > 0 ? ["env", ...Object.entries(env).map(([name, value]) => `${name}=${value}`)] : [];
  return {
    kind: "ssh",
    run: (argv, input) =>
      spawnCommand(
        process.env.FINEMED_SSH ?? "ssh",
        [
          "-o",
          "BatchMode=yes",
          "-o",
          "ConnectTimeout=15",
          ...(target.port ? ["-p", String(target.port)] : []),
          destination,
          "--",
          shellCommand([...prefix, ...argv]),
        ],
        process.env,
        input,
      ),
  };
}
