export { startSimulator, DEFAULT_SIM_MODEL, type SimulatorOptions, type SimulatorHandle } from "./server";
export { detectStep, STEP_MARKERS, SIM_STEPS, type SimStep, type DetectedStep } from "./step-detection";
export type { SimulatorStats } from "./metrics";
export type { FaultKind } from "./faults";
export { startSimulatorPreferring, type PreferredPortSimulator } from "./preferred-port";
