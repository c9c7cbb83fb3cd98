/** How the stand-in stage is named wherever it appears (UI, CLI, logs): it checks files and trains nothing. */
export const STAND_IN_LABEL = "file check, no training";

/** True when a stage's script runs the stand-in (examples/training/stand-in-stage.mjs) rather than a trainer. */
export function isStandInScript(script: string): boolean {
  return script.includes("examples/training/stand-in-stage.mjs");
}
