import { spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { ClusterProfile } from "./cluster-profile";

/** Whether this studio can submit with a profile right now, and if not, why (shown beside a disabled Start). */
export interface Preflight {
  profile: string;
  ok: boolean;
  /** What was checked, in the user's words. */
  checked: string;
  reason: string | null;
}

const TIMEOUT_MS = 4_000;

async function onPath(binary: string, path = process.env.PATH ?? ""): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (
      await access(join(dir, binary), constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

function run(binary: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.once("error", () => resolve({ code: null, stdout }));
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

const BUNDLE_HINT = "download the job bundle and submit it on the cluster yourself";

/** Checks what a profile's submission needs on this machine: sbatch, ssh, slurmrestd's ping, or a Kubernetes context. */
export async function preflight(profile: ClusterProfile): Promise<Preflight> {
  const result = (checked: string, reason: string | null): Preflight => ({ profile: profile.name, ok: reason === null, checked, reason });
  if (profile.kind === "kubernetes") {
    if (!(await onPath("kubectl")))
      return result(
        "kubectl and a current context",
        `kubectl is not on this machine's PATH: apply the Kubernetes manifests from a machine with cluster access, or ${BUNDLE_HINT}`,
      );
    const context = await run("kubectl", ["config", "current-context"]);
    if (context.code !== 0 || context.stdout.trim() === "")
      return result("kubectl and a current context", "kubectl has no current context (kubectl config use-context NAME)");
    return result(`kubectl context ${context.stdout.trim()}`, null);
  }
  if (profile.submitMode === "local") {
    const path = profile.env.PATH ?? process.env.PATH;
    if (!(await onPath("sbatch", path))) {
      return result(
        "sbatch on this machine",
        `sbatch is not on this machine's PATH: this studio is not a Slurm login node. Use a profile that submits over ssh or slurmrestd, or ${BUNDLE_HINT}`,
      );
    }
    return result("sbatch on this machine", null);
  }
  if (profile.submitMode === "ssh") {
    if (!(await onPath("ssh"))) return result("ssh", `ssh is not on this machine's PATH: install an OpenSSH client, or ${BUNDLE_HINT}`);
    return result(`ssh to ${profile.ssh?.host ?? "?"} (the host is reached when submitting)`, null);
  }
  const restd = profile.restd!;
  if (!process.env[restd.tokenEnv])
    return result(
      `slurmrestd at ${restd.url}`,
      `slurmrestd needs a token in $${restd.tokenEnv}: set it in the studio's environment (scontrol token), or ${BUNDLE_HINT}`,
    );
  const answer = await fetch(`${restd.url.replace(/\/$/, "")}/slurm/${restd.apiVersion}/ping`, {
    headers: { "X-SLURM-USER-NAME": restd.userName, "X-SLURM-USER-TOKEN": process.env[restd.tokenEnv]! },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch((error: Error) => error);
  if (answer instanceof Error)
    return result(`slurmrestd at ${restd.url}`, `slurmrestd at ${restd.url} does not answer (${answer.message}): ${BUNDLE_HINT}`);
  if (!answer.ok) return result(`slurmrestd at ${restd.url}`, `slurmrestd at ${restd.url} answered HTTP ${answer.status} to ping`);
  return result(`slurmrestd at ${restd.url}`, null);
}
