export const STAGES = [
  "generation",
  "judgement",
  "common-answers",
  "reward",
  "complex-reasoning",
  "direct-answer",
  "dpo",
  "classification-primary",
  "classification-secondary",
  // The checks before the first paid call (lib/runs/run-preflight.ts): the structured-output canary.
  "preflight",
] as const;

export type Stage = (typeof STAGES)[number];

export interface StageCounters {
  callsMade: number;
  callsReused: number;
  promptTokens: number;
  completionTokens: number;
  tokensSaved: number;
  latencyMs: number;
  failures: number;
}

/** Per-stage counters of one batch, added to the run's totals in the batch's transaction. */
export class StageStats {
  readonly byStage = new Map<Stage, StageCounters>();

  private counters(stage: Stage): StageCounters {
    let counters = this.byStage.get(stage);
    if (!counters) {
      counters = { callsMade: 0, callsReused: 0, promptTokens: 0, completionTokens: 0, tokensSaved: 0, latencyMs: 0, failures: 0 };
      this.byStage.set(stage, counters);
    }
    return counters;
  }

  made(stage: Stage, promptTokens: number, completionTokens: number, latencyMs: number): void {
    const counters = this.counters(stage);
    counters.callsMade++;
    counters.promptTokens += promptTokens;
    counters.completionTokens += completionTokens;
    counters.latencyMs += latencyMs;
  }

  reused(stage: Stage, tokens: number): void {
    const counters = this.counters(stage);
    counters.callsReused++;
    counters.tokensSaved += tokens;
  }

  failed(stage: Stage): void {
    this.counters(stage).failures++;
  }

  /** The counters gathered since the last take, handed over (and reset) so each progress write adds its share once. */
  take(): StageStats {
    const taken = new StageStats();
    for (const [stage, counters] of this.byStage) taken.byStage.set(stage, { ...counters });
    this.byStage.clear();
    return taken;
  }
}
