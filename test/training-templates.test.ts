import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  CHAIN_STAGES,
  clusterProfileSchema,
  kubernetesManifests,
  renderStageScript,
  STAND_IN_COMMAND,
  TrainingInputError,
  type StageJobContext,
} from "../lib/training";
import { parseSacct, parseSbatchParsable, parseScontrolJobs, slurmExitCode } from "../lib/training/slurm-output";
import { shellQuote } from "../lib/training/shell-quote";

const stage2 = CHAIN_STAGES[1]!;
const context = (overrides: Partial<StageJobContext> = {}): StageJobContext => ({
  chainId: "c0ffee00-0000-4000-8000-000000000000",
  versionId: "0e5a0000-0000-4000-8000-000000000000",
  stage: stage2,
  exportDir: "/shared/exports/v1",
  outputDir: "/shared/runs/c/2_sft_stage2",
  previousOutputDir: "/shared/runs/c/1_sft_stage1",
  stdoutPath: "/shared/runs/c/2_sft_stage2.out",
  stderrPath: "/shared/runs/c/2_sft_stage2.err",
  afterJobId: "4711",
  node: "/usr/bin/node",
  studioDir: "/srv/finemed",
  ...overrides,
});

describe("sbatch scripts per stage", () => {
  it("render the cluster's partition, GPUs, time, setup lines and trainer command, chained with afterok", () => {
    const profile = clusterProfileSchema.parse({
      name: "a100",
      partition: "gpu",
      account: "med-llm",
      gpus: 4,
      cpusPerTask: 32,
      timeLimit: "2-00:00:00",
      setupLines: ["module load cuda/12.1", "source {{studioDir}}/venv/bin/activate"],
      env: { HF_HOME: "/shared/hf cache" },
      trainerCommand: "llamafactory-cli train {{config}}",
      trainerCommands: { "6_ttt_eval": "python ttt_eval.py --index data/ttt_index.jsonl --model {{previousOutputDir}}" },
    });
    const script = renderStageScript(profile, context());
    expect(script.startsWith("#!/bin/bash\n#SBATCH --job-name=finemed-2_sft_stage2\n")).toBe(true);
    for (const line of [
      "#SBATCH --partition=gpu",
      "#SBATCH --account=med-llm",
      "#SBATCH --gres=gpu:4",
      "#SBATCH --cpus-per-task=32",
      "#SBATCH --time=2-00:00:00",
      "#SBATCH --output=/shared/runs/c/2_sft_stage2.out",
      "#SBATCH --error=/shared/runs/c/2_sft_stage2.err",
      "#SBATCH --chdir=/shared/exports/v1",
      "#SBATCH --dependency=afterok:4711",
      "#SBATCH --kill-on-invalid-dep=yes",
      "module load cuda/12.1",
      "source /srv/finemed/venv/bin/activate",
      "export HF_HOME='/shared/hf cache'",
      "export FINEMED_STAGE=2_sft_stage2",
      "llamafactory-cli train llamafactory/2_sft_stage2.yaml",
    ]) {
      expect(script.split("\n"), line).toContain(line);
    }
    // sbatch only reads #SBATCH lines before the first command.
    const lines = script.split("\n");
    expect(lines.findLastIndex((l) => l.startsWith("#SBATCH"))).toBeLessThan(lines.findIndex((l) => l === "set -euo pipefail"));
    const ttt = renderStageScript(profile, context({ stage: CHAIN_STAGES[5]!, afterJobId: "4715" }));
    expect(ttt).toContain("python ttt_eval.py --index data/ttt_index.jsonl --model /shared/runs/c/1_sft_stage1");
  });

  it("leave out --gres without GPUs and the dependency for the first stage; quote paths with spaces", () => {
    const profile = clusterProfileSchema.parse({ name: "local", trainerCommand: STAND_IN_COMMAND });
    const script = renderStageScript(
      profile,
      context({ stage: CHAIN_STAGES[0]!, afterJobId: null, exportDir: "/tmp/my export", outputDir: "/tmp/o'ut" }),
    );
    expect(script).not.toContain("--gres");
    expect(script).not.toContain("--dependency");
    expect(script).not.toContain("--partition");
    expect(script).toContain(
      `/usr/bin/node /srv/finemed/examples/training/stand-in-stage.mjs --stage 1_sft_stage1 --export '/tmp/my export' --out '/tmp/o'\\''ut'`,
    );
    expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
  });

  it("use a stage's own template when the profile has one, and refuse unknown placeholders", () => {
    const profile = clusterProfileSchema.parse({
      name: "custom",
      trainerCommand: "torchrun train.py {{trlConfig}}",
      stageTemplates: {
        "5_dpo": "#!/bin/bash\n{{sbatchOptions}}\n#SBATCH --exclusive\nsrun --container-image=nvcr.io/pytorch {{trainerCommand}}\n",
      },
    });
    const dpo = renderStageScript(profile, context({ stage: CHAIN_STAGES[4]! }));
    expect(dpo).toContain("#SBATCH --exclusive\nsrun --container-image=nvcr.io/pytorch torchrun train.py trl/5_dpo.yaml");
    expect(renderStageScript(profile, context())).toContain("set -euo pipefail");
    expect(clusterProfileSchema.safeParse({ name: "x", trainerCommand: "run {{model}}" }).success).toBe(false);
    expect(() => renderStageScript({ ...profile, trainerCommand: "run {{model}}" }, context())).toThrow(TrainingInputError);
  });
});

describe("Slurm's output", () => {
  it("is parsed from sbatch --parsable, scontrol show job -o and sacct", () => {
    expect(parseSbatchParsable("1234\n")).toBe("1234");
    expect(parseSbatchParsable("1234;cluster\n")).toBe("1234");
    expect(parseSbatchParsable("sbatch: error: invalid partition")).toBeNull();
    expect(slurmExitCode("3:0")).toBe(3);
    expect(slurmExitCode("0:9")).toBe(137);
    const [job] = parseScontrolJobs(
      "JobId=7 JobName=finemed-5_dpo UserId=root(0) JobState=CANCELLED Reason=DependencyNeverSatisfied Dependency=afterok:6(failed) ExitCode=0:0 SubmitTime=2026-11-22T22:12:21 StartTime=2026-11-22T22:12:26 EndTime=2026-11-22T22:12:26 StdOut=/x.out\n",
    );
    expect(job).toMatchObject({
      jobId: "7",
      state: "CANCELLED",
      reason: "DependencyNeverSatisfied",
      dependency: "afterok:6(failed)",
      exitCode: 0,
    });
    expect(job!.submittedAt).toEqual(new Date("2026-11-22T22:12:21"));
    const rows = parseSacct(
      "1|COMPLETED|0:0|2026-11-22T22:12:23|2026-11-22T22:12:24\n2|CANCELLED by 0|0:0|None|2026-11-22T22:12:26\n",
      false,
    );
    expect(rows.map((r) => [r.jobId, r.state, r.startedAt === null])).toEqual([
      ["1", "COMPLETED", false],
      ["2", "CANCELLED", true],
    ]);
  });
});

describe("Kubernetes Job manifests", () => {
  it("are valid YAML, one Job per stage, in order through initContainers", () => {
    const profile = clusterProfileSchema.parse({
      name: "k8s",
      kind: "kubernetes",
      gpus: 2,
      trainerCommand: "llamafactory-cli train {{config}}",
    });
    const manifests = kubernetesManifests(profile, "0e5a0000-0000-4000-8000-000000000000");
    expect(manifests.map((m) => m.stage)).toEqual(CHAIN_STAGES.map((s) => s.key));
    const names = new Set<string>();
    for (const manifest of manifests) {
      const job = parse(manifest.content) as {
        apiVersion: string;
        metadata: { name: string };
        spec: { template: { spec: { restartPolicy: string; containers: { resources: unknown }[] } } };
      };
      expect(job.apiVersion).toBe("batch/v1");
      expect(job.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(job.metadata.name.length).toBeLessThanOrEqual(63);
      names.add(job.metadata.name);
      expect(job.spec.template.spec.restartPolicy).toBe("Never");
      expect(job.spec.template.spec.containers[0]!.resources).toEqual({ limits: { "nvidia.com/gpu": 2 } });
    }
    expect(names.size).toBe(CHAIN_STAGES.length);
    // The evaluations run the TTT job and the baseline shipped in the export, never the trainer with no config.
    const command = (stage: string) =>
      (
        parse(manifests.find((m) => m.stage === stage)!.content) as {
          spec: { template: { spec: { containers: { command: string[] }[] } } };
        }
      ).spec.template.spec.containers[0]!.command.join(" ");
    expect(command("6_ttt_eval")).toContain("python3 training/ttt.py --export /export --benchmark");
    expect(command("6_ttt_eval")).toContain("--model /export/saves/llamafactory/5_dpo");
    expect(command("7_baseline_eval")).toContain("python3 training/evaluate.py --benchmark");
    expect(command("6_ttt_eval")).not.toContain("llamafactory-cli train ''");
  });
});
