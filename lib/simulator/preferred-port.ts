import { startSimulator, type SimulatorHandle, type SimulatorOptions } from "./server";

export interface PreferredPortSimulator {
  simulator: SimulatorHandle;
  /** The preferred port was taken (a second studio on the machine): the simulator took a free one. */
  movedFrom: number | null;
}

/** Starts the simulator on `port`, or on a free port when that one is busy, saying so. */
export async function startSimulatorPreferring(
  port: number,
  options: Omit<SimulatorOptions, "port"> = {},
): Promise<PreferredPortSimulator> {
  try {
    return { simulator: await startSimulator({ ...options, port }), movedFrom: null };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return { simulator: await startSimulator({ ...options, port: 0 }), movedFrom: port };
  }
}
